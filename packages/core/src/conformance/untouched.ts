import type { KVBackend } from '../backend.js';
import { checkKey } from '../validation.js';
import { expectStored } from './expect-stored.js';
import { ALL_OPS, type AnyOp, type Call } from './operations.js';

/** A key that holds {@link BEFORE} when a test's calls run. */
export const LIVE_KEY = 'live';
/** A key that is absent when a test's calls run. */
export const ABSENT_KEY = 'absent';
/** The value of {@link LIVE_KEY}. */
export const BEFORE = 'before';

/** Store {@link BEFORE} under {@link LIVE_KEY}. */
export function seedLiveKey(backend: KVBackend): Promise<void> {
  return backend.set(LIVE_KEY, BEFORE);
}

/**
 * Calls of each of `ops` with `options` that would change {@link LIVE_KEY} or create
 * {@link ABSENT_KEY} if they were performed (reads and ping included, to cover every op).
 */
export function callsThatWouldWrite(options: unknown, ops: readonly AnyOp[] = ALL_OPS): Call[] {
  const calls: Call[] = [];
  for (const op of ops) {
    switch (op) {
      case 'get':
      case 'delete':
        calls.push({ op, args: [LIVE_KEY, options] });
        break;
      case 'set':
        calls.push({ op, args: [LIVE_KEY, 'next', options] });
        calls.push({ op, args: [ABSENT_KEY, 'next', options] });
        break;
      case 'checkAndSet':
        calls.push({ op, args: [LIVE_KEY, BEFORE, 'next', options] });
        calls.push({ op, args: [ABSENT_KEY, null, 'next', options] });
        break;
      case 'checkAndDelete':
        calls.push({ op, args: [LIVE_KEY, BEFORE, options] });
        break;
      case 'increment':
        calls.push({ op, args: [ABSENT_KEY, 1, options] });
        break;
      case 'ping':
        calls.push({ op, args: [options] });
        break;
    }
  }
  return calls;
}

/** Assert that {@link LIVE_KEY} still holds {@link BEFORE} and {@link ABSENT_KEY} is still absent. */
export async function expectUntouched(backend: KVBackend, context: string): Promise<void> {
  await expectStored(backend, LIVE_KEY, BEFORE, context);
  await expectStored(backend, ABSENT_KEY, null, context);
}

/** The key a call names, when it names a valid one (ping names none): errors must report it. */
export function keyOf(call: Call): string | undefined {
  const [first] = call.args;
  return call.op !== 'ping' && checkKey(first) === undefined ? (first as string) : undefined;
}

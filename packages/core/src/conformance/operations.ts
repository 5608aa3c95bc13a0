import type { KVBackend } from '../backend.js';
import { describeValue } from './describe-value.js';

/** The operations that take a key. */
export const KEYED_OPS = [
  'get',
  'set',
  'checkAndSet',
  'checkAndDelete',
  'delete',
  'increment',
] as const;
/** Every operation of the contract except `close`. */
export const ALL_OPS = [...KEYED_OPS, 'ping'] as const;

export type AnyOp = (typeof ALL_OPS)[number];

/** One call with deliberately loose argument types, for invalid-input tests. */
export interface Call {
  op: AnyOp;
  args: readonly unknown[];
}

/**
 * The call of `op` on `key` with `options`, its other arguments valid: `set(key, 'value')`,
 * `checkAndSet(key, null, 'value')`, `checkAndDelete(key, 'value')`, `increment(key, 1)`; `ping` takes
 * no key.
 */
export function callOn(op: AnyOp, key: unknown, options?: unknown): Call {
  const withOptions = (...args: unknown[]) => (options === undefined ? args : [...args, options]);
  switch (op) {
    case 'set':
      return { op, args: withOptions(key, 'value') };
    case 'checkAndSet':
      return { op, args: withOptions(key, null, 'value') };
    case 'checkAndDelete':
      return { op, args: withOptions(key, 'value') };
    case 'increment':
      return { op, args: withOptions(key, 1) };
    case 'ping':
      return { op, args: withOptions() };
    default:
      return { op, args: withOptions(key) };
  }
}

/** Perform `call` on `backend`. */
export function perform(backend: KVBackend, call: Call): Promise<unknown> {
  const method = (backend as unknown as Record<AnyOp, (...args: unknown[]) => Promise<unknown>>)[
    call.op
  ];
  return method.apply(backend, [...call.args]);
}

/** `op(arg, ...)` for messages. */
export function render(call: Call): string {
  return `${call.op}(${call.args.map(describeValue).join(', ')})`;
}

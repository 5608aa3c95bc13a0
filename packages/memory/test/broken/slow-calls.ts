import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { CallContext, KVOperation, OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Latency of a simulated slow server, far beyond the deadline test's 1 ms deadline plus grace. */
export const SLOW_CALL_MS = 100;

/**
 * `work` delayed like a call to a slow server when it carries a `timeout`. Only such calls are
 * slowed, so the rest of the suite stays fast; no conformance rule depends on speed. The reply
 * comes two event-loop turns after the latency, as network I/O would: after every timer due by
 * then has fired, however loaded the machine.
 */
export function slowWhenTimed<T>(
  options: OperationOptions | undefined,
  work: (call: CallContext) => Promise<T>,
): (call: CallContext) => Promise<T> {
  if (options?.timeout === undefined) return work;
  return async (call) => {
    await sleep(SLOW_CALL_MS);
    await nextTurn();
    await nextTurn();
    return work(call);
  };
}

/** A correct backend behind a slow link: its deadlines fire, so it must pass the whole suite. */
class SlowCallsBackend extends MemoryBackend {
  protected override run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    return super.run(op, key, options, slowWhenTimed(options, work));
  }
}

/** The control for {@link deadlineIgnored}: slowness alone breaks no rule. */
export const slowCalls: BrokenFixture = {
  name: 'slow-calls',
  defect: 'none (control): calls with a timeout take 100 ms, and their deadlines fire',
  breaks: [],
  create: async () => new SlowCallsBackend(),
};

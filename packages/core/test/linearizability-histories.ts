import type {
  HistoryOp,
  KnownStep,
  RegisterOp,
  RegisterOutput,
} from '../src/conformance/linearizability/history.js';
import { FAILURE_CODE_BY_OP } from '../src/error-codes.js';
import { KVError } from '../src/errors.js';

/** An op of a hand-built history; ids are assigned by {@link history}. */
export type OpSpec = Omit<HistoryOp, 'id'>;

/** `[invoked, completed]`; `'open'` instead of a completion marks an indeterminate op. */
export type Interval = readonly [number, number | 'open'];

function spec(
  client: string,
  key: string,
  op: RegisterOp,
  at: Interval,
  output: RegisterOutput,
): OpSpec {
  const [invokedAt, completedAt] = at;
  if (completedAt === 'open') {
    const error = new KVError({ code: 'TIMEOUT', backend: 'test', indeterminate: true });
    return {
      client,
      key,
      op,
      invokedAt,
      completedAt: undefined,
      result: { status: 'indeterminate', error },
    };
  }
  return { client, key, op, invokedAt, completedAt, result: { status: 'ok', output } };
}

export const get = (client: string, at: Interval, output: string | null, key = 'k') =>
  spec(client, key, { name: 'get' }, at, output);
export const set = (client: string, at: Interval, value: string, key = 'k') =>
  spec(client, key, { name: 'set', value }, at, undefined);
export const cas = (
  client: string,
  at: Interval,
  expected: string | null,
  next: string,
  output: boolean,
  key = 'k',
) => spec(client, key, { name: 'checkAndSet', expected, next }, at, output);
export const cad = (client: string, at: Interval, expected: string, output: boolean, key = 'k') =>
  spec(client, key, { name: 'checkAndDelete', expected }, at, output);
export const del = (client: string, at: Interval, output: boolean, key = 'k') =>
  spec(client, key, { name: 'delete' }, at, output);

/** An increment by `delta` answering the counter's value, or the refusal it rejected with. */
export const inc = (
  client: string,
  at: Interval,
  delta: number,
  output: number | 'NOT_A_COUNTER',
  key = 'k',
) => spec(client, key, { name: 'increment', delta }, at, output);
/** An `update` with a known step, answering its result. */
export const upd = (
  client: string,
  at: Interval,
  step: KnownStep,
  output: string | number | null,
  key = 'k',
) => spec(client, key, { name: 'update', step }, at, output);

/** The op rejected without `indeterminate`: it took no effect. */
export function failed(op: OpSpec): OpSpec {
  const error = new KVError({ code: FAILURE_CODE_BY_OP[op.op.name], backend: 'test' });
  return { ...op, result: { status: 'failed', error } };
}

/** A history of `ops`, ids in invocation order. */
export function history(...ops: OpSpec[]): HistoryOp[] {
  return [...ops].sort((a, b) => a.invokedAt - b.invokedAt).map((op, id) => ({ id, ...op }));
}

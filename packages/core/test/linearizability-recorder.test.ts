import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../src/conformance/linearizability/recorder.js';
import { isKVError } from '../src/errors.js';
import { LinearizabilityTestBackend } from './linearizability-test-backend.js';

describe('HistoryRecorder', () => {
  it('records each op with its client, key, arguments, answer and times, in invocation order', async () => {
    const recorder = new HistoryRecorder();
    const client = recorder.client(new LinearizabilityTestBackend({ latency: 'immediate' }), 'c1');
    await client.set('k', 'a');
    expect(await client.checkAndSet('k', 'a', 'b')).toBe(true);
    expect(await client.get('k')).toBe('b');
    expect(await client.checkAndDelete('k', 'b')).toBe(true);
    expect(await client.delete('k')).toBe(false);
    const ops = recorder.history();
    expect(ops.map(({ id, client, key, op, result }) => ({ id, client, key, op, result }))).toEqual(
      [
        {
          id: 0,
          client: 'c1',
          key: 'k',
          op: { name: 'set', value: 'a' },
          result: { status: 'ok', output: undefined },
        },
        {
          id: 1,
          client: 'c1',
          key: 'k',
          op: { name: 'checkAndSet', expected: 'a', next: 'b' },
          result: { status: 'ok', output: true },
        },
        {
          id: 2,
          client: 'c1',
          key: 'k',
          op: { name: 'get' },
          result: { status: 'ok', output: 'b' },
        },
        {
          id: 3,
          client: 'c1',
          key: 'k',
          op: { name: 'checkAndDelete', expected: 'b' },
          result: { status: 'ok', output: true },
        },
        {
          id: 4,
          client: 'c1',
          key: 'k',
          op: { name: 'delete' },
          result: { status: 'ok', output: false },
        },
      ],
    );
    for (const [index, op] of ops.entries()) {
      expect(op.completedAt).toBeGreaterThanOrEqual(op.invokedAt);
      const next = ops[index + 1];
      if (next !== undefined)
        expect(next.invokedAt).toBeGreaterThanOrEqual(op.completedAt as number);
    }
  });

  it('leaves an indeterminate write open-ended and continues the client under a new id', async () => {
    const backend = new LinearizabilityTestBackend({ latency: 'network' });
    const recorder = new HistoryRecorder();
    const client = recorder.client(backend, 'c7');
    const pending = client.set('k', 'a');
    await backend.dropConnections();
    const error = await pending.catch((caught: unknown) => caught);
    expect(isKVError(error, 'SET_FAILED') && error.indeterminate).toBe(true);
    expect(client.id).toBe('c7.1');
    await client.set('k', 'b');
    const [lost, next] = recorder.history();
    expect(lost).toMatchObject({
      client: 'c7',
      completedAt: undefined,
      result: { status: 'indeterminate', error },
    });
    expect(next).toMatchObject({ client: 'c7.1', result: { status: 'ok' } });
  });

  it('records other rejections as failed (no effect) and keeps the client id', async () => {
    const backend = new LinearizabilityTestBackend({ latency: 'network' });
    const recorder = new HistoryRecorder();
    const client = recorder.client(backend, 'c2');
    const read = client.get('k');
    await backend.dropConnections();
    await expect(read).rejects.toSatisfy(
      (error) => isKVError(error, 'GET_FAILED') && !error.indeterminate,
    );
    await expect(client.set('', 'v')).rejects.toSatisfy((error) => isKVError(error, 'INVALID_KEY'));
    expect(client.id).toBe('c2');
    const ops = recorder.history();
    expect(ops.map((op) => op.result.status)).toEqual(['failed', 'failed']);
    expect(ops.every((op) => op.completedAt !== undefined)).toBe(true);
  });

  it('refuses a second op on a client while one is pending', async () => {
    const client = new HistoryRecorder().client(
      new LinearizabilityTestBackend({ latency: 'network' }),
      'c1',
    );
    const first = client.get('k');
    await expect(client.get('k')).rejects.toThrow(/one operation at a time/);
    await first;
  });

  it('records increments with the counter value and a NOT_A_COUNTER refusal as an answer', async () => {
    const recorder = new HistoryRecorder();
    const client = recorder.client(new LinearizabilityTestBackend({ latency: 'immediate' }), 'c1');
    expect(await client.increment('k', 2)).toBe(2);
    expect(await client.update('k', { kind: 'add', delta: 3 })).toBe(5);
    expect(await client.update('k', { kind: 'append', text: 'x' })).toBe('5x');
    const refusal = await client.increment('k', 1).catch((error: unknown) => error);
    expect(isKVError(refusal, 'NOT_A_COUNTER')).toBe(true);
    expect(await client.update('k', { kind: 'add', delta: 1 })).toBe('NOT_A_COUNTER');
    expect(await client.update('k', { kind: 'read' })).toBe('5x');
    expect(recorder.history().map(({ client, op, result }) => ({ client, op, result }))).toEqual([
      { client: 'c1', op: { name: 'increment', delta: 2 }, result: { status: 'ok', output: 2 } },
      {
        client: 'c1',
        op: { name: 'update', step: { kind: 'add', delta: 3 } },
        result: { status: 'ok', output: 5 },
      },
      {
        client: 'c1',
        op: { name: 'update', step: { kind: 'append', text: 'x' } },
        result: { status: 'ok', output: '5x' },
      },
      {
        client: 'c1',
        op: { name: 'increment', delta: 1 },
        result: { status: 'ok', output: 'NOT_A_COUNTER' },
      },
      {
        client: 'c1',
        op: { name: 'update', step: { kind: 'add', delta: 1 } },
        result: { status: 'ok', output: 'NOT_A_COUNTER' },
      },
      {
        client: 'c1',
        op: { name: 'update', step: { kind: 'read' } },
        result: { status: 'ok', output: '5x' },
      },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../src/conformance/linearizability/check.js';
import type { HistoryOp } from '../src/conformance/linearizability/history.js';
import { cad, cas, del, failed, get, history, inc, set, upd } from './linearizability-histories.js';

function verdictOf(ops: HistoryOp[]) {
  return checkLinearizability(ops).verdict;
}

describe('checkLinearizability on histories that are linearizable', () => {
  it('accepts a sequential run of every operation', () => {
    const ops = history(
      get('c1', [0, 1], null),
      del('c1', [2, 3], false),
      cas('c1', [4, 5], null, 'a', true),
      cas('c1', [6, 7], 'x', 'b', false),
      set('c1', [8, 9], 'b'),
      cad('c1', [10, 11], 'a', false),
      get('c1', [12, 13], 'b'),
      cad('c1', [14, 15], 'b', true),
      get('c1', [16, 17], null),
      set('c1', [18, 19], 'c'),
      del('c1', [20, 21], true),
      get('c1', [22, 23], null),
    );
    expect(checkLinearizability(ops)).toMatchObject({ verdict: 'linearizable', operations: 12 });
  });

  it('lets a read overlapping a write see the old or the new value', () => {
    const ops = history(
      set('c1', [0, 10], 'a'),
      get('c2', [1, 2], null),
      get('c3', [3, 4], 'a'),
      get('c4', [5, 6], 'a'),
    );
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('orders overlapping writes either way', () => {
    const ops = history(set('c1', [0, 10], 'a'), set('c2', [1, 2], 'b'), get('c3', [11, 12], 'a'));
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('lets exactly one of two racing checkAndSets win', () => {
    const ops = history(
      cas('c1', [0, 5], null, 'a', true),
      cas('c2', [1, 6], null, 'b', false),
      get('c3', [7, 8], 'a'),
    );
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('treats a call at the instant of a return as concurrent with it', () => {
    const ops = history(set('c1', [0, 1], 'a'), get('c2', [1, 2], null));
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('lets an indeterminate write take effect at any later time', () => {
    const ops = history(
      set('c1', [0, 1], 'a'),
      set('c2', [2, 'open'], 'b'),
      get('c3', [5, 6], 'a'),
      get('c3', [7, 8], 'b'),
      get('c3', [9, 10], 'b'),
    );
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('lets an indeterminate write never take effect', () => {
    const ops = history(
      set('c1', [0, 1], 'a'),
      cas('c2', [2, 'open'], 'a', 'b', true),
      get('c3', [50, 60], 'a'),
    );
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('ignores failed ops: they took no effect', () => {
    const ops = history(
      set('c1', [0, 1], 'a'),
      failed(set('c2', [2, 3], 'b')),
      get('c3', [4, 5], 'a'),
    );
    expect(checkLinearizability(ops)).toMatchObject({ verdict: 'linearizable', operations: 2 });
  });

  it('checks keys independently', () => {
    const ops = history(
      set('c1', [0, 4], 'a', 'k1'),
      set('c2', [1, 3], 'b', 'k2'),
      get('c1', [5, 6], 'a', 'k1'),
      get('c2', [5, 6], 'b', 'k2'),
      del('c3', [7, 8], false, 'k3'),
    );
    expect(checkLinearizability(ops)).toMatchObject({ verdict: 'linearizable', keys: 3 });
  });
});

describe('checkLinearizability on counters and updates', () => {
  const append = { kind: 'append', text: 'a' } as const;
  const read = { kind: 'read' } as const;
  const addOne = { kind: 'add', delta: 1 } as const;

  const linearizable: Record<string, HistoryOp[]> = {
    'overlapping increments in any order': history(
      inc('c1', [0, 10], 1, 2),
      inc('c2', [1, 9], 1, 1),
      inc('c3', [2, 8], 2, 4),
      get('c4', [11, 12], '4'),
    ),
    'an increment creating the counter, then negative and zero deltas': history(
      inc('c1', [0, 1], 5, 5),
      inc('c1', [2, 3], -7, -2),
      inc('c1', [4, 5], 0, -2),
      get('c2', [6, 7], '-2'),
    ),
    'NOT_A_COUNTER on a value that is no counter, which stays': history(
      set('c1', [0, 1], '01'),
      inc('c2', [2, 3], 1, 'NOT_A_COUNTER'),
      get('c3', [4, 5], '01'),
    ),
    'increments on a counter stored by set': history(
      set('c1', [0, 1], '41'),
      inc('c2', [2, 3], 1, 42),
    ),
    'an indeterminate increment applied later': history(
      inc('c1', [0, 1], 1, 1),
      inc('c2', [2, 'open'], 1, 2),
      get('c3', [5, 6], '1'),
      get('c3', [7, 8], '2'),
    ),
    'a combined batch of updates, each seeing the previous step': history(
      upd('c1', [0, 5], append, 'a'),
      upd('c2', [1, 5], read, 'a'),
      upd('c3', [2, 5], append, 'aa'),
      upd('c4', [3, 5], addOne, 'NOT_A_COUNTER'),
      get('c5', [6, 7], 'aa'),
    ),
    'update adds interleaved with increments': history(
      upd('c1', [0, 4], addOne, 2),
      inc('c2', [1, 3], 1, 1),
      upd('c3', [5, 6], read, '2'),
    ),
  };
  for (const [name, ops] of Object.entries(linearizable)) {
    it(`accepts ${name}`, () => {
      expect(verdictOf(ops)).toBe('linearizable');
    });
  }

  const violations: Record<string, HistoryOp[]> = {
    'two increments both returning 1': history(inc('c1', [0, 5], 1, 1), inc('c2', [1, 6], 1, 1)),
    'two update adds both returning 1': history(
      upd('c1', [0, 5], addOne, 1),
      upd('c2', [1, 6], addOne, 1),
    ),
    'an increment that skipped a value': history(inc('c1', [0, 1], 1, 1), inc('c1', [2, 3], 1, 3)),
    'an increment counting a non-counter as 0': history(
      set('c1', [0, 1], 'a'),
      inc('c2', [2, 3], 1, 1),
    ),
    'NOT_A_COUNTER on a counter': history(
      inc('c1', [0, 1], 1, 1),
      inc('c2', [2, 3], 1, 'NOT_A_COUNTER'),
    ),
    'a read-only update answered from a stale value': history(
      upd('c1', [0, 1], append, 'a'),
      set('c2', [2, 3], 'b'),
      upd('c3', [4, 5], read, 'a'),
    ),
    'a lost increment': history(
      inc('c1', [0, 1], 1, 1),
      inc('c2', [2, 3], 1, 2),
      get('c3', [4, 5], '1'),
    ),
  };
  for (const [name, ops] of Object.entries(violations)) {
    it(`rejects ${name}`, () => {
      const result = checkLinearizability(ops);
      expect(result.verdict).toBe('violation');
      if (result.verdict !== 'violation') return;
      expect(result.window?.entries.map((entry) => entry.op)).toContain(result.window?.culprit);
    });
  }

  it('shows increments and updates in the window', () => {
    const result = checkLinearizability(
      history(inc('c1', [0, 5], 1, 1), upd('c2', [1, 6], addOne, 1)),
    );
    expect(result.verdict).toBe('violation');
    if (result.verdict !== 'violation') return;
    expect(result.message).toMatch(/#0\s+c1\s+increment\(1\)\s+1\s/);
    expect(result.message).toMatch(/#1\s+c2\s+update\(add 1\)\s+1\s/);
  });
});

describe('checkLinearizability on violations', () => {
  const violations: Record<string, HistoryOp[]> = {
    'a stale read': history(set('c1', [0, 1], 'a'), set('c1', [2, 3], 'b'), get('c2', [4, 5], 'a')),
    'a lost update': history(
      set('c1', [0, 1], 'a'),
      cas('c2', [2, 3], 'a', 'b', true),
      get('c3', [4, 5], 'a'),
    ),
    'a double checkAndSet success': history(
      cas('c1', [0, 5], null, 'a', true),
      cas('c2', [1, 6], null, 'b', true),
    ),
    'a double checkAndSet success on the same expected value': history(
      set('c0', [0, 1], 'v'),
      cas('c1', [2, 5], 'v', 'a', true),
      cas('c2', [3, 6], 'v', 'b', true),
    ),
    'a read of a value never written': history(set('c1', [0, 1], 'a'), get('c2', [2, 3], 'ghost')),
    "a delete that didn't happen": history(
      set('c1', [0, 1], 'a'),
      del('c2', [2, 3], true),
      get('c3', [4, 5], 'a'),
    ),
    'a delete that claims to remove an absent key': history(del('c1', [0, 1], true)),
    "a checkAndDelete that didn't happen": history(
      set('c1', [0, 1], 'a'),
      cad('c2', [2, 3], 'a', true),
      get('c3', [4, 5], 'a'),
    ),
    'a failed checkAndSet whose expected value was there': history(
      set('c1', [0, 1], 'a'),
      cas('c2', [2, 3], 'a', 'b', false),
      get('c3', [4, 5], 'a'),
    ),
    'a read of a write that failed': history(
      set('c1', [0, 1], 'a'),
      failed(set('c2', [2, 3], 'b')),
      get('c3', [4, 5], 'b'),
    ),
    'an indeterminate write seen before it was called': history(
      get('c1', [0, 1], 'a'),
      set('c2', [2, 'open'], 'a'),
    ),
  };

  for (const [name, ops] of Object.entries(violations)) {
    it(`rejects ${name}`, () => {
      const result = checkLinearizability(ops);
      expect(result.verdict).toBe('violation');
      if (result.verdict !== 'violation') return;
      expect(result.window?.entries.map((entry) => entry.op)).toContain(result.window?.culprit);
    });
  }

  it('reports a window of the offending ops with client, call, answer and times', () => {
    const ops = history(
      set('c0', [0, 1], 'v'),
      cas('c1', [2, 5], 'v', 'a', true),
      cas('c2', [3, 6], 'v', 'b', true),
    );
    const result = checkLinearizability(ops);
    expect(result.verdict).toBe('violation');
    if (result.verdict !== 'violation') return;
    expect(result.message).toContain('Key "k": no order of the operations explains op #2');
    expect(result.message).toMatch(/#1\s+c1\s+checkAndSet\("v", "a"\)\s+true\s+2\.000\s+5\.000/);
    expect(result.message).toMatch(
      />\s+#2\s+c2\s+checkAndSet\("v", "b"\)\s+true\s+3\.000\s+6\.000\s+<- this answer cannot be explained/,
    );
  });

  it('points out that a value read was only written by an op that failed', () => {
    const ops = history(
      set('c1', [0, 1], 'a'),
      failed(set('c2', [2, 3], 'b')),
      get('c3', [4, 5], 'b'),
    );
    const result = checkLinearizability(ops);
    expect(result.verdict).toBe('violation');
    if (result.verdict !== 'violation') return;
    expect(result.message).toContain(
      'No op that may have taken effect wrote "b"; only ops that failed (and so must take no effect) did: #1 c2 set("b") -> failed (SET_FAILED).',
    );
    const ghost = checkLinearizability(history(get('c1', [0, 1], 'ghost')));
    expect(ghost.verdict === 'violation' && ghost.message).toContain(
      'No op that may have taken effect wrote "ghost".',
    );
  });

  it('shrinks a long history to the few ops that show the violation', () => {
    const prefix = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? set(`c${i % 7}`, [i * 10, i * 10 + 15], `v${i}`)
        : get(`c${i % 7}`, [i * 10, i * 10 + 15], `v${i - 1}`),
    );
    const ops = history(
      ...prefix,
      set('c1', [3000, 3001], 'a'),
      set('c2', [3002, 3003], 'b'),
      get('c3', [3004, 3005], 'a'),
    );
    const result = checkLinearizability(ops);
    expect(result.verdict).toBe('violation');
    if (result.verdict !== 'violation') return;
    const window = result.window?.entries.map((entry) => `${entry.role} ${entry.op.id}`);
    expect(window).toEqual(['window 201', 'culprit 202']);
    expect(result.window?.startsUnknown).toBe(true);
  });

  it('decides a history with many indeterminate checkAndSets that never matched, without running out of time', () => {
    // Linearizing an open op where it changes nothing is the same as leaving it out; a search
    // that tries both visits every subset of the 40 pending ops (2^40) before it can decide.
    const neverMatched = Array.from({ length: 40 }, (_, i) =>
      cas(`o${i}`, [0.5, 'open'], `never-${i}`, `next-${i}`, true),
    );
    const writes = Array.from({ length: 100 }, (_, i) => set('c1', [i + 1, i + 1.5], `v${i}`));
    const result = checkLinearizability(
      history(...neverMatched, ...writes, get('c2', [200, 201], 'bogus')),
    );
    expect(result.verdict).toBe('violation');
    expect(checkLinearizability(history(...neverMatched, ...writes)).verdict).toBe('linearizable');
  });

  it('says inconclusive, never linearizable, when the time budget runs out', () => {
    const ops = history(
      ...Array.from({ length: 3000 }, (_, i) => set('c1', [i * 2, i * 2 + 1], `v${i}`)),
    );
    const result = checkLinearizability(ops, { timeBudgetMs: 0 });
    expect(result.verdict).toBe('inconclusive');
    if (result.verdict === 'inconclusive') expect(result.message).toMatch(/not a pass/);
  });
});

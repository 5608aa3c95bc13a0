import { seededRandom } from '@strongbox/test-services/seeded-random';
import { describe, expect, it } from 'vitest';
import { CallQueue } from '../src/lanes/call-queue.js';

interface Entry {
  id: number;
  queued: boolean;
}

const entry = (id: number): Entry => ({ id, queued: false });

/** Shift until empty; the ids in the order they came out. */
function drain(queue: CallQueue<Entry>): number[] {
  const ids: number[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) ids.push(next.id);
  return ids;
}

describe('CallQueue', () => {
  it('hands entries out oldest first and counts those still queued', () => {
    const queue = new CallQueue<Entry>();
    for (let id = 1; id <= 3; id++) queue.push(entry(id));
    expect(queue.length).toBe(3);
    expect(queue.shift()?.id).toBe(1);
    expect(queue.length).toBe(2);
    queue.push(entry(4));
    expect(drain(queue)).toEqual([2, 3, 4]);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('a withdrawn entry is never handed out, and withdraws only while it is queued', () => {
    const queue = new CallQueue<Entry>();
    const [first, second, third] = [entry(1), entry(2), entry(3)];
    for (const e of [first, second, third]) queue.push(e);
    expect(queue.withdraw(second)).toBe(true);
    expect(queue.withdraw(second)).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.shift()).toBe(first);
    expect(queue.withdraw(first)).toBe(false); // already handed out
    expect(queue.withdraw(third)).toBe(true);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('clear takes the queued entries oldest first; none of them can be withdrawn after', () => {
    const queue = new CallQueue<Entry>();
    const entries = [1, 2, 3, 4].map(entry);
    for (const e of entries) queue.push(e);
    queue.withdraw(entries[1] as Entry);
    expect(queue.shift()).toBe(entries[0]);
    expect(queue.clear().map((e) => e.id)).toEqual([3, 4]);
    expect(queue.length).toBe(0);
    expect(entries.some((e) => queue.withdraw(e))).toBe(false);
    queue.push(entry(5));
    expect(drain(queue)).toEqual([5]);
  });

  it('behaves like a plain FIFO with removal across compactions (random operations against a model)', () => {
    // Phases that grow the queue to thousands, withdraw most of it, then drain it cross both
    // thresholds (1024 withdrawn entries, 1024 taken ones) many times.
    const phases = [
      { push: 0.8, withdraw: 0.1 }, // grow
      { push: 0.2, withdraw: 0.75 }, // give up
      { push: 0.2, withdraw: 0.1 }, // drain
    ];
    const next = seededRandom(14);
    const queue = new CallQueue<Entry>();
    let model: Entry[] = [];
    const pushed: Entry[] = [];
    for (let step = 0; step < 60_000; step++) {
      const phase = phases[Math.floor(step / 4000) % phases.length] as (typeof phases)[number];
      const roll = next();
      if (roll < phase.push) {
        const e = entry(pushed.length);
        pushed.push(e);
        queue.push(e);
        model.push(e);
      } else if (roll < phase.push + phase.withdraw) {
        // Mostly a queued entry; else any entry ever pushed (handed out, withdrawn or cleared).
        const among = next() < 0.9 && model.length > 0 ? model : pushed;
        const target = among[Math.floor(next() * among.length)];
        if (target === undefined) continue;
        const wasQueued = model.includes(target);
        expect(queue.withdraw(target)).toBe(wasQueued);
        model = model.filter((e) => e !== target);
      } else if (roll < 0.9999) {
        expect(queue.shift()).toBe(model.shift());
      } else {
        expect(queue.clear()).toEqual(model);
        model = [];
      }
      expect(queue.length).toBe(model.length);
    }
    expect(drain(queue)).toEqual(model.map((e) => e.id));
  });

  it('keeps its order through a compaction of many withdrawn entries', () => {
    const queue = new CallQueue<Entry>();
    const entries = Array.from({ length: 5000 }, (_, id) => entry(id));
    for (const e of entries) queue.push(e);
    const kept = entries.filter((e) => e.id % 7 === 0);
    for (const e of entries) if (e.id % 7 !== 0) queue.withdraw(e);
    expect(queue.length).toBe(kept.length);
    expect(drain(queue)).toEqual(kept.map((e) => e.id));
  });
});

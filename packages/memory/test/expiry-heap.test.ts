import { seededRandom } from '@strongbox/test-services/seeded-random';
import { describe, expect, it } from 'vitest';
import { ExpiryHeap, type HeapNode, NOT_INDEXED } from '../src/expiry-heap.js';

interface Node extends HeapNode {
  id: number;
}

const node = (id: number, expiresAt: number): Node => ({ id, expiresAt, heapIndex: NOT_INDEXED });

/** Empty the heap through peek/remove, returning the expiry order it yields. */
function drain(heap: ExpiryHeap<Node>): number[] {
  const order: number[] = [];
  for (let next = heap.peek(); next !== undefined; next = heap.peek()) {
    expect(next.heapIndex).toBe(0);
    order.push(next.expiresAt);
    heap.remove(next);
    expect(next.heapIndex).toBe(NOT_INDEXED);
  }
  return order;
}

describe('ExpiryHeap', () => {
  it('yields nodes earliest expiry first', () => {
    const heap = new ExpiryHeap<Node>();
    for (const [id, at] of [5, 1, 4, 1, 9, 2, 6].entries()) heap.schedule(node(id, at));
    expect(heap.size).toBe(7);
    expect(drain(heap)).toEqual([1, 1, 2, 4, 5, 6, 9]);
  });

  it('re-sifts a node in place when its expiry changes, without adding an entry', () => {
    const heap = new ExpiryHeap<Node>();
    const nodes = [10, 20, 30, 40].map((at, id) => node(id, at));
    for (const n of nodes) heap.schedule(n);
    const renewed = nodes[0] as Node;
    renewed.expiresAt = 35;
    heap.schedule(renewed);
    expect(heap.size).toBe(4);
    expect(heap.peek()?.expiresAt).toBe(20);
    const hurried = nodes[3] as Node;
    hurried.expiresAt = 5;
    heap.schedule(hurried);
    expect(heap.size).toBe(4);
    expect(drain(heap)).toEqual([5, 20, 30, 35]);
  });

  it('drops a node whose expiry becomes infinite, and ignores removing an unindexed node', () => {
    const heap = new ExpiryHeap<Node>();
    const forever = node(1, 10);
    heap.schedule(forever);
    heap.schedule(node(2, 20));
    forever.expiresAt = Number.POSITIVE_INFINITY;
    heap.schedule(forever);
    expect(forever.heapIndex).toBe(NOT_INDEXED);
    heap.remove(forever);
    expect(heap.size).toBe(1);
    heap.schedule(node(3, Number.POSITIVE_INFINITY));
    expect(drain(heap)).toEqual([20]);
  });

  it('keeps order and exact membership under random inserts, renewals and removals', () => {
    const next = seededRandom(42);
    const heap = new ExpiryHeap<Node>();
    const live = new Map<number, Node>();
    for (let step = 0; step < 20_000; step++) {
      const id = Math.floor(next() * 500);
      const existing = live.get(id);
      const roll = next();
      if (existing !== undefined && roll < 0.3) {
        heap.remove(existing);
        live.delete(id);
      } else {
        const target = existing ?? node(id, 0);
        target.expiresAt = Math.floor(next() * 1000);
        heap.schedule(target);
        live.set(id, target);
      }
      expect(heap.size).toBe(live.size);
    }
    const expected = [...live.values()].map((n) => n.expiresAt).sort((a, b) => a - b);
    expect(drain(heap)).toEqual(expected);
  });

  it('clear() empties the heap and marks every node unindexed', () => {
    const heap = new ExpiryHeap<Node>();
    const nodes = [3, 1, 2].map((at, id) => node(id, at));
    for (const n of nodes) heap.schedule(n);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(nodes.every((n) => n.heapIndex === NOT_INDEXED)).toBe(true);
  });
});

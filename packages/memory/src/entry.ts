import type { HeapNode } from './expiry-heap.js';

/** One stored key. Entries are updated in place, so the expiry index never holds stale copies. */
export interface MemoryEntry extends HeapNode {
  readonly key: string;
  value: string;
}

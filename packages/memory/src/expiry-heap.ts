/** Marks a node that is not in any {@link ExpiryHeap}. */
export const NOT_INDEXED = -1;

/** What the heap orders: an expiry time and the node's own slot, kept up to date by the heap. */
export interface HeapNode {
  /** When the node expires (ms on the backend's clock); `Infinity` means never. */
  expiresAt: number;
  /** The node's position in its heap, or `NOT_INDEXED`. */
  heapIndex: number;
}

/**
 * A binary min-heap on `expiresAt` whose nodes know their own position, so a node whose
 * expiry changed is re-sifted in place and a deleted node is removed in O(log n). The heap
 * holds each node at most once: renewing a key a million times leaves one entry.
 */
export class ExpiryHeap<T extends HeapNode> {
  #nodes: T[] = [];
  /** Largest size since the array was last compacted: a bound on its backing store. */
  #peakSize = 0;

  /** Number of indexed nodes. */
  get size(): number {
    return this.#nodes.length;
  }

  /** The node that expires first, without removing it. */
  peek(): T | undefined {
    return this.#nodes[0];
  }

  /**
   * Index `node` by its current `expiresAt`: insert it, or move it to its new place when it
   * is already indexed. A node that never expires is removed instead.
   */
  schedule(node: T): void {
    if (node.expiresAt === Number.POSITIVE_INFINITY) {
      this.remove(node);
    } else if (node.heapIndex === NOT_INDEXED) {
      this.#nodes.push(node);
      node.heapIndex = this.#nodes.length - 1;
      this.#peakSize = Math.max(this.#peakSize, this.#nodes.length);
      this.#siftUp(node.heapIndex);
    } else {
      this.#resift(node.heapIndex);
    }
  }

  /** Take `node` out of the heap; a node that is not indexed is left alone. */
  remove(node: T): void {
    const index = node.heapIndex;
    if (index === NOT_INDEXED) return;
    node.heapIndex = NOT_INDEXED;
    const last = this.#nodes.pop() as T;
    if (last !== node) {
      this.#place(last, index);
      this.#resift(index);
    }
    this.#compactIfSparse();
  }

  /** Drop every node. */
  clear(): void {
    for (const node of this.#nodes) node.heapIndex = NOT_INDEXED;
    this.#nodes = [];
    this.#peakSize = 0;
  }

  /**
   * V8 does not always shrink an array's backing store as it pops, so after a mass expiry the
   * index would keep its peak size. Copying once it is a quarter full keeps it proportional
   * to live keys, at amortized O(1) per removal.
   */
  #compactIfSparse(): void {
    if (this.#peakSize > 1024 && this.#nodes.length < this.#peakSize / 4) {
      this.#nodes = this.#nodes.slice();
      this.#peakSize = this.#nodes.length;
    }
  }

  #resift(index: number): void {
    if (this.#siftUp(index) === index) this.#siftDown(index);
  }

  /** Move the node at `index` towards the root while it expires before its parent. */
  #siftUp(index: number): number {
    const node = this.#at(index);
    let at = index;
    while (at > 0) {
      const parentIndex = (at - 1) >> 1;
      const parent = this.#at(parentIndex);
      if (parent.expiresAt <= node.expiresAt) break;
      this.#place(parent, at);
      at = parentIndex;
    }
    this.#place(node, at);
    return at;
  }

  /** Move the node at `index` towards the leaves while a child expires before it. */
  #siftDown(index: number): void {
    const node = this.#at(index);
    const count = this.#nodes.length;
    let at = index;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) break;
      const right = left + 1;
      const child =
        right < count && this.#at(right).expiresAt < this.#at(left).expiresAt ? right : left;
      if (this.#at(child).expiresAt >= node.expiresAt) break;
      this.#place(this.#at(child), at);
      at = child;
    }
    this.#place(node, at);
  }

  #place(node: T, index: number): void {
    this.#nodes[index] = node;
    node.heapIndex = index;
  }

  #at(index: number): T {
    return this.#nodes[index] as T;
  }
}

/** Significant bits kept per power of two: 2^-6 relative error, well under 2 %. */
const SUB_BUCKET_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Nanoseconds; 2^32 ns is about 4.3 s, far beyond any latency a healthy run sees. */
const MAX_NS = 2 ** 32 - 1;
const BUCKET_COUNT = (32 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

/**
 * A latency histogram with log-linear buckets (HDR style): recording is a few integer
 * operations and allocates nothing, so it can sit inside a loop doing millions of ops a second
 * without disturbing what it measures.
 */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKET_COUNT);
  #total = 0;

  /** Number of recorded samples. */
  get count(): number {
    return this.#total;
  }

  /** Record one latency in milliseconds. */
  record(ms: number): void {
    const ns = Math.min(MAX_NS, Math.max(0, Math.round(ms * 1e6)));
    const bucket = bucketOf(ns);
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1;
    this.#total++;
  }

  /** The bucket counts, to send to another process ({@link LatencyHistogram.fromCounts}). */
  counts(): Float64Array {
    return this.#counts.slice();
  }

  /** A histogram holding the samples of `counts` (from {@link LatencyHistogram.counts}). */
  static fromCounts(counts: Float64Array): LatencyHistogram {
    const histogram = new LatencyHistogram();
    histogram.#counts.set(counts);
    histogram.#total = counts.reduce((total, count) => total + count, 0);
    return histogram;
  }

  /** Add every sample of `other`. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKET_COUNT; i++) {
      this.#counts[i] = (this.#counts[i] ?? 0) + (other.#counts[i] ?? 0);
    }
    this.#total += other.#total;
  }

  /** The latency in ms below which `fraction` (0..1) of the samples fall; NaN when empty. */
  percentile(fraction: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(fraction * this.#total));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) return bucketMidpointNs(i) / 1e6;
    }
    return bucketMidpointNs(BUCKET_COUNT - 1) / 1e6;
  }
}

/** Values below 2^(bits+1) get exact buckets; above, a bucket spans 1/64 of its value. */
function bucketOf(ns: number): number {
  if (ns < 2 * SUB_BUCKETS) return ns;
  const shift = 31 - Math.clz32(ns) - SUB_BUCKET_BITS;
  return shift * SUB_BUCKETS + (ns >>> shift);
}

function bucketMidpointNs(index: number): number {
  if (index < 2 * SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const mantissa = index - shift * SUB_BUCKETS;
  return mantissa * 2 ** shift + (2 ** shift - 1) / 2;
}

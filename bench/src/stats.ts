/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The `q` quantile of `values` (0.5 is the median), interpolating between neighbours; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below] as number;
  return lower + ((sorted[above] as number) - lower) * (position - below);
}

/** Half the distance between the smallest and largest value, relative to the median. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  return (Math.max(...values) - Math.min(...values)) / 2 / median(values);
}

/**
 * The standard error of the median of `values`, estimated robustly: the median absolute
 * deviation scaled to a standard deviation (×1.4826), times the median's large-sample factor
 * √(π/2) ≈ 1.2533, over √n. Infinity for fewer than two values.
 */
export function medianStandardError(values: readonly number[]): number {
  if (values.length < 2) return Number.POSITIVE_INFINITY;
  const middle = median(values);
  const deviation = 1.4826 * median(values.map((value) => Math.abs(value - middle)));
  return (1.2533 * deviation) / Math.sqrt(values.length);
}

/** Per-round ratios `a[i] / b[i]`, over the rounds in which `b` finished something. */
export function roundRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.flatMap((rate, i) => {
    const other = b[i] ?? 0;
    return other > 0 ? [rate / other] : [];
  });
}

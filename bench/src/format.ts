const started = performance.now();

/** Progress output, stamped with seconds since start, goes to stderr; stdout carries the table. */
export function log(line: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${line}\n`);
}

/** `12345` → `12.3k`, `1234567` → `1.23M`. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

/** Milliseconds with the digits that matter: `37`, `4.2`, `0.35`, `0.012`, `0.0004`. */
export function formatMs(value: number): string {
  if (value >= 10) return value.toFixed(0);
  if (value >= 1) return value.toFixed(1);
  if (value >= 0.1) return value.toFixed(2);
  return String(Number(value.toPrecision(2)));
}

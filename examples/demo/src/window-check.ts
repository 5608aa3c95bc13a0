import type { Admission } from './simulation.js';

/**
 * Slack in ms on each side of a window's estimated end: the reported ttl is rounded up to whole
 * ms, and a server that keeps whole-ms time (Redis) may be up to 1 ms off our clock's fraction.
 */
const ROUNDING_MS = 2;

/** Whether the admissions of one key stayed within a fixed window's limit. */
export interface WindowCheck {
  /** Groups of admissions that belong to one window, or to a few that could not be told apart. */
  groups: number;
  /** Groups that may span several windows (answers slower than half a window blur them). */
  blurred: number;
  /** Most admissions in one single-window group. */
  busiestWindow: number;
  /** Groups that admitted more than `limit` for each window they may span. */
  violations: number;
}

/**
 * Check that no fixed window admitted more than `limit`, using only what a client sees: when it
 * sent each admitted request, when the answer came, and the `resetAfterMs` it was told.
 *
 * The window's end, on our clock, lies between `sentAt + resetAfterMs` and `answeredAt +
 * resetAfterMs` (widened by the ttl's rounding). Admissions of one window share one end, so
 * their ranges overlap; ends of different windows are at least `windowMs` apart (a window
 * opens only after the last one expired). Overlapping ranges are grouped; a group whose ranges
 * cover `span` ms holds at most `floor(span / windowMs) + 1` windows and may admit `limit` per
 * window. When every answer is faster than half a window, each group is exactly one window.
 */
export function checkWindows(
  admissions: readonly Admission[],
  limit: number,
  windowMs: number,
): WindowCheck {
  const ranges = admissions
    .map((a) => ({
      from: a.sentAt + a.resetAfterMs - ROUNDING_MS,
      to: a.answeredAt + a.resetAfterMs + ROUNDING_MS,
    }))
    .sort((x, y) => x.from - y.from);
  const check: WindowCheck = { groups: 0, blurred: 0, busiestWindow: 0, violations: 0 };
  let i = 0;
  while (i < ranges.length) {
    const first = ranges[i] as { from: number; to: number };
    let to = first.to;
    let size = 0;
    for (; i < ranges.length && (ranges[i]?.from ?? 0) <= to; i++, size++) {
      to = Math.max(to, ranges[i]?.to ?? to);
    }
    const windows = Math.floor((to - first.from) / windowMs) + 1;
    check.groups++;
    if (windows > 1) check.blurred++;
    else check.busiestWindow = Math.max(check.busiestWindow, size);
    if (size > limit * windows) check.violations++;
  }
  return check;
}

/** The checks of several keys as one. */
export function mergeChecks(checks: readonly WindowCheck[]): WindowCheck {
  return checks.reduce(
    (all, c) => ({
      groups: all.groups + c.groups,
      blurred: all.blurred + c.blurred,
      busiestWindow: Math.max(all.busiestWindow, c.busiestWindow),
      violations: all.violations + c.violations,
    }),
    { groups: 0, blurred: 0, busiestWindow: 0, violations: 0 },
  );
}

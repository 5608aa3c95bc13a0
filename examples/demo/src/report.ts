import type { Decision } from './rate-limiter.js';
import type { ClientOutcome } from './simulation.js';

/** The busiest window seen and whether any window admitted more than the limit. */
export interface LimitCheck {
  windows: number;
  busiestWindow: number;
  violations: number;
}

/** Admissions per window id, over any number of decisions. */
function admissionsPerWindow(decisions: Iterable<Decision>): Map<string, number> {
  const admitted = new Map<string, number>();
  for (const decision of decisions) {
    if (decision.allowed && decision.windowId !== undefined) {
      admitted.set(decision.windowId, (admitted.get(decision.windowId) ?? 0) + 1);
    }
  }
  return admitted;
}

/** Count the windows that admitted more than `limit` requests. */
export function checkLimit(decisions: Iterable<Decision>, limit: number): LimitCheck {
  const counts = [...admissionsPerWindow(decisions).values()];
  return {
    windows: counts.length,
    busiestWindow: Math.max(0, ...counts),
    violations: counts.filter((n) => n > limit).length,
  };
}

/** A plain-text table of allowed and denied requests per client. */
export function formatClientTable(outcomes: readonly ClientOutcome[], limit: number): string {
  const header = [
    'client',
    'traffic',
    'requests',
    'allowed',
    'denied',
    'windows',
    'busiest',
    'CAS retries',
  ];
  const rows = outcomes.map(({ profile, decisions }) => {
    const check = checkLimit(decisions, limit);
    const allowed = decisions.filter((d) => d.allowed).length;
    const retries = decisions.reduce((sum, d) => sum + d.conflicts, 0);
    return [
      profile.name,
      `${profile.kind} x${profile.workers}`,
      decisions.length,
      allowed,
      decisions.length - allowed,
      check.windows,
      `${check.busiestWindow}/${limit}`,
      retries,
    ].map(String);
  });
  return formatTable(header, rows);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

import type { ClientOutcome } from './simulation.js';
import type { WindowCheck } from './window-check.js';

/** What one phase of the demo measured. */
export interface PhaseResult {
  /** `hot key` or `own keys`. */
  keys: string;
  combine: boolean;
  outcomes: ClientOutcome[];
  elapsedMs: number;
  check: WindowCheck;
  /** Increment requests the backend was sent (a combined batch is one), when core traced them. */
  backendRequests?: number;
}

/** Sums over a phase's clients. */
export function phaseTotals(outcomes: readonly ClientOutcome[]) {
  return outcomes.reduce(
    (sum, o) => ({
      requests: sum.requests + o.requests,
      admitted: sum.admitted + o.admitted.length,
      denied: sum.denied + o.denied,
      failed: sum.failed + o.failed,
    }),
    { requests: 0, admitted: 0, denied: 0, failed: 0 },
  );
}

/** A plain-text table of admitted and denied requests per client. */
export function formatClientTable(outcomes: readonly ClientOutcome[]): string {
  const header = ['client', 'traffic', 'requests', 'admitted', 'denied'];
  const rows = outcomes.map(({ profile, requests, admitted, denied }) => [
    profile.name,
    `${profile.kind} x${profile.workers}`,
    String(requests),
    String(admitted.length),
    String(denied),
  ]);
  return formatTable(header, rows, 2);
}

/** One line saying whether the bound held, with the busiest window. */
export function formatCheck(check: WindowCheck, limit: number): string {
  const blurred =
    check.blurred === 0
      ? ''
      : ` (${check.blurred} group(s) of windows too close to tell apart, checked at ${limit} per window)`;
  const verdict =
    check.violations === 0
      ? `bound held: no window admitted more than ${limit}`
      : `BOUND BROKEN: ${check.violations} window(s) admitted more than ${limit}`;
  return `${verdict}; ${check.groups} windows, busiest ${check.busiestWindow}/${limit}${blurred}.`;
}

/** The four phases side by side, with backend requests per request and per admission when counted. */
export function formatSummary(phases: readonly PhaseResult[]): string {
  const counted = phases.every((p) => p.backendRequests !== undefined);
  const header = ['keys', 'combine', 'requests', 'req/s', 'admitted', 'denied', 'bound'];
  if (counted) header.push('backend requests', 'per request', 'per admitted');
  const rows = phases.map((phase) => {
    const t = phaseTotals(phase.outcomes);
    const row = [
      phase.keys,
      phase.combine ? 'on' : 'off',
      String(t.requests),
      String(Math.round((t.requests / phase.elapsedMs) * 1000)),
      String(t.admitted),
      String(t.denied),
      phase.check.violations === 0 ? 'held' : 'BROKEN',
    ];
    const sent = phase.backendRequests;
    if (counted && sent !== undefined) {
      row.push(String(sent), ratio(sent, t.requests), ratio(sent, t.admitted));
    }
    return row;
  });
  return formatTable(header, rows, 2);
}

/** `part / whole` with 2 decimals, or `-` when nothing was admitted. */
function ratio(part: number, whole: number): string {
  return whole === 0 ? '-' : (part / whole).toFixed(2);
}

/** Columns before `leftColumns` are left-aligned (names), the rest right-aligned (numbers). */
function formatTable(header: string[], rows: string[][], leftColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

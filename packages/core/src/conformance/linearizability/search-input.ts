import type { HistoryOp } from './history.js';
import type { SearchOp } from './search.js';

/** The op as the search sees it: its observed answer, or open when indeterminate. */
export function asObserved(op: HistoryOp): SearchOp {
  if (op.result.status !== 'ok' || op.completedAt === undefined) return asOpen(op);
  return {
    op: op.op,
    output: op.result.output,
    invokedAt: op.invokedAt,
    completedAt: op.completedAt,
  };
}

/** The op with its answer forgotten: it may take effect at any time after its call, or never. */
export function asOpen(op: HistoryOp): SearchOp {
  return { op: op.op, output: undefined, invokedAt: op.invokedAt, completedAt: Infinity };
}

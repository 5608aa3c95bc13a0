import { takeCanceller } from './porsager-internals.js';

/**
 * Ask the server to cancel porsager's `query`. porsager's `query.cancel()` drops the promise
 * of its cancel request, which opens a connection of its own and rejects when that fails (the
 * server refuses connections): an unhandled rejection. So the request is made through
 * porsager's canceller (what `cancel()` calls, once) and its failure ignored: whoever
 * cancels has already given up on the query.
 */
export function cancelQuery(query: object): void {
  takeCanceller(query)?.().catch(() => undefined);
}

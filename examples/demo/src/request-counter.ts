import diagnostics from 'node:diagnostics_channel';

/**
 * Core publishes every backend request on Node's tracing channels; an `increment` request, a
 * combined batch included, starts once on this one, with how many calls it carries.
 */
const INCREMENT_START = 'tracing:strongbox:increment:start';

/** Increment requests sent to backends, and the calls they carried, while counting. */
export interface IncrementRequests {
  requests: number;
  calls: number;
}

/**
 * Count the increment requests every Strongbox backend of this process sends until `stop()`.
 * A core without tracing publishes nothing: then the count stays at 0 requests and 0 calls.
 */
export function countIncrementRequests(): { stop(): IncrementRequests } {
  const counted: IncrementRequests = { requests: 0, calls: 0 };
  const onStart = (message: unknown) => {
    counted.requests++;
    counted.calls += (message as { batchSize?: number }).batchSize ?? 1;
  };
  diagnostics.subscribe(INCREMENT_START, onStart);
  return {
    stop() {
      diagnostics.unsubscribe(INCREMENT_START, onStart);
      return { ...counted };
    },
  };
}

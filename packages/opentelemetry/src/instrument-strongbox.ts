import {
  subscribe,
  type TracingChannelSubscribers,
  tracingChannel,
  unsubscribe,
} from 'node:diagnostics_channel';
import {
  diag,
  type MeterProvider,
  metrics,
  context as otelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  isKVError,
  type KVOperation,
  type OperationTraceContext,
  TRACING_CHANNEL_PREFIX,
  UPDATE_CONFLICT_CHANNEL,
  type UpdateConflictMessage,
} from '@strongbox/core';
import {
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_STRONGBOX_BACKEND,
  ATTR_STRONGBOX_BATCH_SIZE,
  ATTR_STRONGBOX_INDETERMINATE,
  ATTR_STRONGBOX_KEY,
  ATTR_STRONGBOX_UNHEALTHY,
  dbSystemName,
  operationAttributes,
} from './attributes.js';
import { createInstruments } from './instruments.js';

/** Options of {@link instrumentStrongbox}. */
export interface InstrumentStrongboxOptions {
  /** Where spans go (default: the global tracer provider of `@opentelemetry/api`). */
  tracerProvider?: TracerProvider | undefined;
  /** Where metrics go (default: the global meter provider of `@opentelemetry/api`). */
  meterProvider?: MeterProvider | undefined;
  /**
   * Put each call's key on its span as `strongbox.key` (default false). Keys often hold user
   * ids or tokens; they never go on metrics, whose attributes must stay low-cardinality.
   */
  recordKeys?: boolean | undefined;
}

/** What {@link instrumentStrongbox} returns. */
export interface StrongboxInstrumentation {
  /** Unsubscribe: no more spans or metrics. Spans of calls still in flight are not ended. */
  disable(): void;
}

/** The operations core traces (every call an adapter built on `KVBackendBase` runs). */
const TRACED_OPERATIONS: readonly KVOperation[] = [
  'get',
  'set',
  'checkAndSet',
  'checkAndDelete',
  'delete',
  'increment',
  'ping',
  'purge',
];

const SCOPE = '@strongbox/opentelemetry';

/** One call in flight: its span and when it started. */
interface InFlight {
  readonly span: Span;
  readonly startedAt: number;
  readonly attributes: Record<string, string>;
}

/**
 * Emit an OpenTelemetry span and metrics for every Strongbox operation, from the diagnostics
 * channels `@strongbox/core` publishes on (see `docs/observability.md`). Spans are CLIENT spans
 * named after the operation, children of the span active where the call was made, with
 * `db.system.name`, `db.operation.name` and, on failure, `error.type` (the `KVError` code).
 * Metrics: `db.client.operation.duration` (s), `strongbox.cas.conflicts`,
 * `strongbox.update.conflicts` and `strongbox.batch.size`.
 *
 * @example
 * ```ts
 * const instrumentation = instrumentStrongbox(); // global providers of your OpenTelemetry setup
 * // ... later, e.g. on shutdown:
 * instrumentation.disable();
 * ```
 */
export function instrumentStrongbox(
  options: InstrumentStrongboxOptions = {},
): StrongboxInstrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const instruments = createInstruments(
    (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE),
  );
  const recordKeys = options.recordKeys === true;
  const inFlight = new WeakMap<object, InFlight>();

  // Node subscribes only the events given: no `end` or `asyncStart` handler to run per call.
  const handlers = {
    start(message: unknown) {
      const call = message as OperationTraceContext;
      const attributes = operationAttributes(call);
      const span = tracer.startSpan(
        call.op,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            ...attributes,
            ...(recordKeys && call.key !== undefined ? { [ATTR_STRONGBOX_KEY]: call.key } : {}),
            ...(call.batchSize === undefined
              ? {}
              : { [ATTR_STRONGBOX_BATCH_SIZE]: call.batchSize }),
          },
        },
        otelContext.active(),
      );
      inFlight.set(call, { span, startedAt: performance.now(), attributes });
      if (call.batchSize !== undefined) {
        instruments.batchSize.record(call.batchSize, attributes);
      }
    },
    error(message: unknown) {
      const call = message as OperationTraceContext;
      const state = inFlight.get(call);
      if (state === undefined) return;
      const { error } = call;
      const type = call.errorCode ?? (error instanceof Error ? error.name : '_OTHER');
      state.attributes[ATTR_ERROR_TYPE] = type;
      state.span.setAttribute(ATTR_ERROR_TYPE, type);
      if (isKVError(error)) {
        state.span.setAttribute(ATTR_STRONGBOX_UNHEALTHY, error.unhealthy);
        state.span.setAttribute(ATTR_STRONGBOX_INDETERMINATE, error.indeterminate);
      }
      // The message names the key unless the backend redacts keys: keep it off the span too.
      state.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    },
    asyncEnd(message: unknown) {
      const call = message as OperationTraceContext;
      const state = inFlight.get(call);
      if (state === undefined) return;
      inFlight.delete(call);
      const seconds = (performance.now() - state.startedAt) / 1000;
      instruments.duration.record(seconds, state.attributes);
      if (call.op === 'checkAndSet' && call.error === undefined && call.result === false) {
        instruments.casConflicts.add(1, state.attributes);
      }
      state.span.end();
    },
  };
  const onUpdateConflict = (message: unknown) => {
    const conflict = message as UpdateConflictMessage;
    instruments.updateConflicts.add(1, {
      [ATTR_DB_SYSTEM_NAME]: dbSystemName(conflict.backend),
      [ATTR_STRONGBOX_BACKEND]: conflict.backend,
    });
  };

  // Node rethrows a subscriber's error as an uncaught exception: never let one escape.
  const subscribers = {
    start: guarded(handlers.start),
    error: guarded(handlers.error),
    asyncEnd: guarded(handlers.asyncEnd),
  } as unknown as TracingChannelSubscribers<object>;
  const onConflict = guarded(onUpdateConflict);
  const channels = TRACED_OPERATIONS.map((op) => tracingChannel(`${TRACING_CHANNEL_PREFIX}${op}`));
  for (const channel of channels) channel.subscribe(subscribers);
  subscribe(UPDATE_CONFLICT_CHANNEL, onConflict);
  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const channel of channels) channel.unsubscribe(subscribers);
      unsubscribe(UPDATE_CONFLICT_CHANNEL, onConflict);
    },
  };
}

/** `handler`, with any error it throws reported to OpenTelemetry's diagnostic logger instead. */
function guarded(handler: (message: unknown) => void): (message: unknown) => void {
  return (message) => {
    try {
      handler(message);
    } catch (error) {
      diag.error('@strongbox/opentelemetry: a diagnostics handler failed', error);
    }
  };
}

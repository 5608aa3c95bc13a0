import type { MeterProvider as MeterProviderApi, TracerProvider } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Export result code of OpenTelemetry's `ExportResultCode.SUCCESS` (from @opentelemetry/core). */
const SUCCESS = 0;

/** Spans go nowhere: the bench measures recording them, not a collector's network. */
const discardingExporter: SpanExporter = {
  export(_spans: ReadableSpan[], done) {
    done({ code: SUCCESS });
  },
  shutdown: async () => {},
};

/** The OpenTelemetry SDK as an app would set it up, minus the network. */
export interface BenchOpenTelemetrySdk {
  providers: { tracerProvider: TracerProvider; meterProvider: MeterProviderApi };
  description: string;
  shutdown(): Promise<void>;
}

/**
 * Tracer provider with the `BatchSpanProcessor` production setups use, exporting to nowhere;
 * meter provider with a periodic reader whose interval is longer than any run, so metrics are
 * recorded and aggregated but not exported mid-measurement.
 */
export function startOpenTelemetrySdk(): BenchOpenTelemetrySdk {
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(discardingExporter)],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  return {
    providers: { tracerProvider, meterProvider },
    description:
      'OpenTelemetry SDK 2: BasicTracerProvider with a BatchSpanProcessor exporting nowhere, MeterProvider with a periodic reader',
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

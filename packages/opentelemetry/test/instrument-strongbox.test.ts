import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { isKVError, update } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dbSystemName, instrumentStrongbox, type StrongboxInstrumentation } from '../src/index.js';

beforeAll(() => {
  // Parentage needs an async context manager, as in any Node app's OpenTelemetry setup.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

let instrumentation: StrongboxInstrumentation | undefined;
afterEach(() => {
  instrumentation?.disable();
  instrumentation = undefined;
});

/** The real SDK with in-memory exporters, and the instrumentation wired to it. */
function setup(options: { recordKeys?: boolean } = {}) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60 * 60_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  instrumentation = instrumentStrongbox({ tracerProvider, meterProvider, ...options });
  return {
    tracer: tracerProvider.getTracer('test'),
    finished: (): ReadableSpan[] => spans.getFinishedSpans(),
    /** Data points of one metric after a collection. */
    async points(name: string): Promise<DataPoint<unknown>[]> {
      await reader.forceFlush();
      const exported = metricExporter.getMetrics().at(-1);
      const metric = exported?.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === name);
      return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
    },
  };
}

describe('instrumentStrongbox', () => {
  it('emits one CLIENT span per operation with the database conventions, and no key', async () => {
    const { finished } = setup();
    const kv = await createMemoryBackend();
    await kv.set('user:42', 'a');
    await kv.get('user:42');
    await kv.checkAndSet('user:42', 'a', 'b');
    await kv.checkAndDelete('user:42', 'b');
    await kv.delete('user:42');
    await kv.increment('user:42:count');
    await kv.ping();
    const spans = finished();
    expect(spans.map((s) => s.name)).toEqual([
      'set',
      'get',
      'checkAndSet',
      'checkAndDelete',
      'delete',
      'increment',
      'ping',
    ]);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes['db.system.name']).toBe('memory');
      expect(span.attributes['db.operation.name']).toBe(span.name);
      expect(span.attributes['strongbox.backend']).toBe('memory');
      expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(JSON.stringify([span.attributes, span.events, span.status])).not.toContain('user:42');
    }
    expect(spans.find((s) => s.name === 'increment')?.attributes['strongbox.batch.size']).toBe(1);
  });

  it('records the key on spans only with recordKeys', async () => {
    const { finished } = setup({ recordKeys: true });
    await (await createMemoryBackend()).get('user:42');
    expect(finished()[0]?.attributes['strongbox.key']).toBe('user:42');
  });

  it("parents each span under the caller's active span, a combined batch under its first member's", async () => {
    const { tracer, finished } = setup();
    const kv = await createMemoryBackend();
    const parentIds: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        tracer.startActiveSpan(`request ${i}`, async (parent) => {
          parentIds.push(parent.spanContext().spanId);
          await kv.increment('hot');
          parent.end();
        }),
      ),
    );
    const increments = finished().filter((s) => s.name === 'increment');
    // Request 0's call goes alone; requests 1..3 wait and go as one batch, under request 1.
    expect(increments.map((s) => s.attributes['strongbox.batch.size'])).toEqual([1, 3]);
    expect(increments.map((s) => s.parentSpanContext?.spanId)).toEqual([
      parentIds[0],
      parentIds[1],
    ]);
    const requests = finished().filter((s) => s.name.startsWith('request'));
    for (const span of increments) {
      expect(span.spanContext().traceId).toBe(
        requests
          .find((r) => r.spanContext().spanId === span.parentSpanContext?.spanId)
          ?.spanContext().traceId,
      );
    }
  });

  it('marks a failed call with error.type set to the KVError code', async () => {
    const { finished } = setup();
    const kv = await createMemoryBackend();
    await kv.set('user:42', 'not a number');
    const error = await kv.increment('user:42').catch((e: unknown) => e);
    expect(isKVError(error, 'NOT_A_COUNTER')).toBe(true);
    const span = finished().find((s) => s.name === 'increment');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'NOT_A_COUNTER' });
    expect(span?.attributes['error.type']).toBe('NOT_A_COUNTER');
    expect(span?.attributes['strongbox.error.unhealthy']).toBe(false);
    expect(JSON.stringify([span?.attributes, span?.events, span?.status])).not.toContain('user:42');
  });

  it('records durations, CAS and update conflicts, and batch sizes', async () => {
    const { points } = setup();
    const kv = await createMemoryBackend();
    await kv.set('k', '0');
    await kv.get('k');
    expect(await kv.checkAndSet('k', 'stale', '1')).toBe(false);
    expect(await kv.checkAndSet('k', 'stale', '1')).toBe(false);
    expect(await kv.checkAndSet('k', '0', '1')).toBe(true);
    let interfered = false;
    await update(kv, 'k', (current) => {
      if (!interfered) {
        interfered = true;
        void kv.set('k', '5');
      }
      return { result: current, next: String(Number(current) + 1) };
    });
    await Promise.all(Array.from({ length: 5 }, () => kv.increment('hot')));
    await kv.set('bad', 'x');
    await kv.increment('bad').catch(() => undefined);

    const durations = (await points('db.client.operation.duration')) as DataPoint<Histogram>[];
    const getPoint = durations.find((p) => p.attributes['db.operation.name'] === 'get');
    expect(getPoint?.value.count).toBeGreaterThanOrEqual(1);
    expect(getPoint?.attributes['db.system.name']).toBe('memory');
    const failed = durations.find((p) => p.attributes['error.type'] === 'NOT_A_COUNTER');
    expect(failed?.value.count).toBe(1);
    const casPoints = await points('strongbox.cas.conflicts');
    // Two failed checkAndSet calls of the test, and update's one conflicting commit.
    expect(casPoints.reduce((sum, p) => sum + (p.value as number), 0)).toBe(3);
    const updatePoints = await points('strongbox.update.conflicts');
    expect(updatePoints.map((p) => p.value)).toEqual([1]);
    const batches = (await points('strongbox.batch.size')) as DataPoint<Histogram>[];
    const batch = batches.find((p) => p.attributes['db.operation.name'] === 'increment');
    // Requests: the alone call, the batch of 4, and the failed one: sizes 1 + 4 + 1.
    expect(batch?.value.count).toBe(3);
    expect(batch?.value.sum).toBe(6);
    for (const point of [...durations, ...casPoints, ...batches]) {
      expect(Object.keys(point.attributes)).not.toContain('strongbox.key');
    }
  });

  it('stops after disable()', async () => {
    const { finished } = setup();
    const kv = await createMemoryBackend();
    await kv.get('a');
    instrumentation?.disable();
    await kv.get('b');
    expect(finished()).toHaveLength(1);
  });

  it('names the database system by the conventions', () => {
    expect(dbSystemName('postgres')).toBe('postgresql');
    expect(dbSystemName('redis')).toBe('redis');
    expect(dbSystemName('sqlite-example')).toBe('sqlite-example');
  });
});

import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** The metrics `instrumentStrongbox` records. */
export interface Instruments {
  /** `db.client.operation.duration`, seconds, per call. */
  readonly duration: Histogram;
  /** `strongbox.cas.conflicts`: `checkAndSet` calls that resolved false. */
  readonly casConflicts: Counter;
  /** `strongbox.update.conflicts`: `update` commits that found the value changed. */
  readonly updateConflicts: Counter;
  /** `strongbox.batch.size`: calls per `increment` request (1 when sent alone). */
  readonly batchSize: Histogram;
}

/** The conventions' recommended buckets for `db.client.operation.duration`. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export function createInstruments(meter: Meter): Instruments {
  return {
    duration: meter.createHistogram('db.client.operation.duration', {
      description: 'Duration of database client operations.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    casConflicts: meter.createCounter('strongbox.cas.conflicts', {
      description: 'checkAndSet calls that found another value and wrote nothing.',
      unit: '{conflict}',
    }),
    updateConflicts: meter.createCounter('strongbox.update.conflicts', {
      description: 'update commits that found the value changed since their read, and retried.',
      unit: '{conflict}',
    }),
    batchSize: meter.createHistogram('strongbox.batch.size', {
      description: 'increment calls carried by one request (combined concurrent calls).',
      unit: '{call}',
      advice: { explicitBucketBoundaries: BATCH_SIZE_BUCKETS },
    }),
  };
}

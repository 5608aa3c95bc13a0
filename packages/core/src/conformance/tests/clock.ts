import type { KVBackend } from '../../backend.js';
import { checkExpiryBound, timed, withGrowingTtl } from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';
import { TEST_TTL_MS } from './ttl.js';

const HOURS_OFF_MS = 6 * 3_600_000;

/** `Date.now()` replaced by one that is `offset` ms off; `restore()` puts the real one back. */
class SkewedDateNow {
  readonly #real = Date.now;
  offset = 0;

  constructor() {
    Date.now = () => this.#real.call(Date) + this.offset;
  }

  restore(): void {
    Date.now = this.#real;
  }
}

/**
 * Write a key while the client's clock is `writeOffset` off and read it while it is
 * `readOffset` off: expiry must follow the backend's clock alone.
 */
async function checkSkewedExpiry(
  backend: KVBackend,
  skew: SkewedDateNow,
  writeOffset: number,
  readOffset: number,
): Promise<void> {
  const what = `written with Date.now() ${writeOffset / 3_600_000} h off, read with ${readOffset / 3_600_000} h off`;
  await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
    const key = `skewed${writeOffset}-${attempt}`;
    skew.offset = writeOffset;
    const times = await timed(() => backend.set(key, 'v', { ttl }));
    const read = () => {
      skew.offset = readOffset;
      return backend.get(key);
    };
    return checkExpiryBound(read, 'v', times, ttl, what);
  });
}

/** Time is the backend's own clock, never the client's wall clock. */
export function registerClockTests(suite: ConformanceHarness): void {
  suite.test(
    'clock.backend',
    "expiry follows the backend's clock: a client whose Date.now() is hours off sees the same TTLs",
    async ({ backend }) => {
      const skew = new SkewedDateNow();
      try {
        await checkSkewedExpiry(backend, skew, HOURS_OFF_MS, -HOURS_OFF_MS);
        await checkSkewedExpiry(backend, skew, -HOURS_OFF_MS, HOURS_OFF_MS);
      } finally {
        skew.restore();
      }
    },
  );
}

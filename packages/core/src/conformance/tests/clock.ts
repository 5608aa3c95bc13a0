import { checkExpiryBound, type ExpiryProbe, timed, withGrowingTtl } from '../expiry.js';
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

/** Time is the backend's own clock, never the client's wall clock. */
export function registerClockTests(suite: ConformanceHarness): void {
  suite.test(
    'clock.backend',
    "expiry follows the backend's clock: a client whose Date.now() is hours off, differently at each call, sees the same TTLs",
    async ({ backend }) => {
      const skew = new SkewedDateNow();
      try {
        await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
          const ahead = `ahead${attempt}`;
          const behind = `behind${attempt}`;
          const times = await timed(async () => {
            skew.offset = HOURS_OFF_MS;
            await backend.set(ahead, 'v', { ttl });
            skew.offset = -HOURS_OFF_MS;
            await backend.set(behind, 'v', { ttl });
          });
          const readWithOffset = (key: string, offset: number, what: string): ExpiryProbe => ({
            what,
            value: 'v',
            read: () => {
              skew.offset = offset;
              return backend.get(key);
            },
          });
          const probes = [
            readWithOffset(ahead, -HOURS_OFF_MS, 'a key written 6 h ahead, read 6 h behind'),
            readWithOffset(behind, HOURS_OFF_MS, 'a key written 6 h behind, read 6 h ahead'),
          ];
          return checkExpiryBound(probes, times, ttl, 'set with ttl');
        });
      } finally {
        skew.restore();
      }
    },
  );
}

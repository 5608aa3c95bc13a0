import { checkExpiryBound, type ExpiryProbe, timed, withGrowingTtl } from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';
import { TEST_TTL_MS } from './ttl.js';

const HOURS_OFF_MS = 6 * 3_600_000;

/**
 * The client's wall clock skewed by `offset` ms: `Date.now()`, `new Date()` and `Date()` all
 * read it (a backend may use any of them); `restore()` puts the real `Date` back. Dates built
 * from arguments, `Date.parse` and `Date.UTC` are unchanged.
 */
class SkewedWallClock {
  readonly #real = globalThis.Date;
  offset = 0;

  constructor() {
    const real = this.#real;
    const now = () => real.now() + this.offset;
    function SkewedDate(this: unknown, ...args: unknown[]): Date | string {
      if (new.target === undefined) return new real(now()).toString();
      return Reflect.construct(real, args.length === 0 ? [now()] : args, new.target) as Date;
    }
    SkewedDate.prototype = real.prototype;
    Object.setPrototypeOf(SkewedDate, real);
    SkewedDate.now = now;
    globalThis.Date = SkewedDate as unknown as DateConstructor;
  }

  restore(): void {
    globalThis.Date = this.#real;
  }
}

/** Time is the backend's own clock, never the client's wall clock. */
export function registerClockTests(suite: ConformanceHarness): void {
  suite.test(
    'clock.backend',
    "expiry follows the backend's clock: a client whose wall clock (Date.now(), new Date()) is hours off, differently at each call, sees the same TTLs",
    async ({ backend }) => {
      const skew = new SkewedWallClock();
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

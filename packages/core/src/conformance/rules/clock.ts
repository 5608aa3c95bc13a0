import assert from 'node:assert/strict';
import {
  certainlyLiveUntil,
  checkExpiryBound,
  type ExpiryProbe,
  timed,
  withGrowingTtl,
} from '../expiry.js';
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
    "expiry follows the backend's clock: a client whose wall clock (Date.now(), new Date()) is hours off, differently at each call, sees the same TTLs, for keys set and for counters increment creates and counts on",
    async ({ backend }) => {
      const skew = new SkewedWallClock();
      try {
        await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
          const ahead = `ahead${attempt}`;
          const behind = `behind${attempt}`;
          const counterAhead = `counterAhead${attempt}`;
          const counterBehind = `counterBehind${attempt}`;
          const counted: number[] = [];
          const times = await timed(async () => {
            skew.offset = HOURS_OFF_MS;
            await backend.set(ahead, 'v', { ttl });
            await backend.increment(counterAhead, 1, { ttl });
            await backend.set(`liveAhead${attempt}`, '10', { ttl });
            skew.offset = -HOURS_OFF_MS;
            await backend.set(behind, 'v', { ttl });
            await backend.increment(counterBehind, 1, { ttl });
            await backend.set(`liveBehind${attempt}`, '10', { ttl });
            // Live keys are counted on, whichever way the client's clock is off.
            counted.push((await backend.increment(`liveAhead${attempt}`, 1, { ttl })).value);
            skew.offset = HOURS_OFF_MS;
            counted.push((await backend.increment(`liveBehind${attempt}`, 1, { ttl })).value);
          });
          if (times.resolvedAt >= certainlyLiveUntil(times, ttl)) return 0;
          assert.deepEqual(
            counted,
            [11, 11],
            'increment of keys set with ttl, 6 h behind and 6 h ahead of when they were set',
          );
          const readWithOffset = (
            key: string,
            value: string,
            offset: number,
            what: string,
          ): ExpiryProbe => ({
            what,
            value,
            read: () => {
              skew.offset = offset;
              return backend.get(key);
            },
          });
          const probes = [
            readWithOffset(ahead, 'v', -HOURS_OFF_MS, 'a key written 6 h ahead, read 6 h behind'),
            readWithOffset(behind, 'v', HOURS_OFF_MS, 'a key written 6 h behind, read 6 h ahead'),
            readWithOffset(
              counterAhead,
              '1',
              -HOURS_OFF_MS,
              'a counter created 6 h ahead, read 6 h behind',
            ),
            readWithOffset(
              counterBehind,
              '1',
              HOURS_OFF_MS,
              'a counter created 6 h behind, read 6 h ahead',
            ),
          ];
          return checkExpiryBound(probes, times, ttl, 'set and increment with ttl');
        });
      } finally {
        skew.restore();
      }
    },
  );
}

import { setTimeout as sleep, setImmediate as yieldTurn } from 'node:timers/promises';
import type { RateLimiter } from '@strongbox/ratelimit';

/** How one simulated client behaves: parallel workers, each pausing between requests. */
export interface ClientProfile {
  name: string;
  kind: 'burst' | 'steady' | 'light';
  workers: number;
  /** Pause range in ms; a burst worker only yields the event loop (0 to 0). */
  minPauseMs: number;
  maxPauseMs: number;
}

/** One admitted request: when it was sent and answered, and the window's reset time it was told. */
export interface Admission {
  sentAt: number;
  answeredAt: number;
  resetAfterMs: number;
}

/** Everything one client was told. */
export interface ClientOutcome {
  profile: ClientProfile;
  requests: number;
  admitted: Admission[];
  denied: number;
  /** Decisions made by `onBackendFailure` because the backend failed (also denied). */
  failed: number;
}

const KINDS: readonly Omit<ClientProfile, 'name'>[] = [
  { kind: 'burst', workers: 8, minPauseMs: 0, maxPauseMs: 0 },
  { kind: 'steady', workers: 2, minPauseMs: 20, maxPauseMs: 40 },
  { kind: 'light', workers: 1, minPauseMs: 40, maxPauseMs: 70 },
];

/** `count` clients cycling through bursty, steady and light traffic. */
export function clientProfiles(count: number): ClientProfile[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `client-${String(i + 1).padStart(2, '0')}`,
    ...(KINDS[i % KINDS.length] as Omit<ClientProfile, 'name'>),
  }));
}

/**
 * Run every client's workers concurrently against `limiter` for `durationMs`; each request asks
 * for the key `keyOf` gives its client. Times are `performance.now()` ms.
 */
export async function simulate(
  limiter: RateLimiter,
  profiles: readonly ClientProfile[],
  keyOf: (profile: ClientProfile) => string,
  durationMs: number,
): Promise<ClientOutcome[]> {
  const stopAt = performance.now() + durationMs;
  return Promise.all(
    profiles.map(async (profile) => {
      const outcome: ClientOutcome = { profile, requests: 0, admitted: [], denied: 0, failed: 0 };
      const key = keyOf(profile);
      const worker = async () => {
        while (performance.now() < stopAt) {
          const sentAt = performance.now();
          const decision = await limiter.allow(key);
          const answeredAt = performance.now();
          outcome.requests++;
          if (decision.failure !== undefined) outcome.failed++;
          if (decision.allowed) {
            outcome.admitted.push({ sentAt, answeredAt, resetAfterMs: decision.resetAfterMs });
          } else {
            outcome.denied++;
          }
          await pause(profile);
        }
      };
      await Promise.all(Array.from({ length: profile.workers }, worker));
      return outcome;
    }),
  );
}

/** Timers fire on whole ms, so a burst worker yields with setImmediate to keep sending at once. */
function pause({ minPauseMs, maxPauseMs }: ClientProfile): Promise<unknown> {
  if (maxPauseMs === 0) return yieldTurn();
  return sleep(minPauseMs + Math.random() * (maxPauseMs - minPauseMs));
}

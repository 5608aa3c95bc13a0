import { setTimeout as sleep } from 'node:timers/promises';
import type { Decision, FixedWindowLimiter } from './rate-limiter.js';

/** How one simulated client behaves: parallel workers, each pausing between requests. */
export interface ClientProfile {
  name: string;
  kind: 'burst' | 'steady' | 'light';
  workers: number;
  minPauseMs: number;
  maxPauseMs: number;
}

/** Everything one client was told. */
export interface ClientOutcome {
  profile: ClientProfile;
  decisions: Decision[];
}

const KINDS: readonly Omit<ClientProfile, 'name'>[] = [
  { kind: 'burst', workers: 8, minPauseMs: 1, maxPauseMs: 6 },
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

/** Run every client's workers concurrently against `limiter` for `durationMs`. */
export async function simulate(
  limiter: FixedWindowLimiter,
  profiles: readonly ClientProfile[],
  durationMs: number,
): Promise<ClientOutcome[]> {
  const stopAt = performance.now() + durationMs;
  return Promise.all(
    profiles.map(async (profile) => {
      const decisions: Decision[] = [];
      const worker = async () => {
        while (performance.now() < stopAt) {
          decisions.push(await limiter.acquire(profile.name));
          await sleep(
            profile.minPauseMs + Math.random() * (profile.maxPauseMs - profile.minPauseMs),
          );
        }
      };
      await Promise.all(Array.from({ length: profile.workers }, worker));
      return { profile, decisions };
    }),
  );
}

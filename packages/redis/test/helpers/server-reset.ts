import type { RedisServerControls } from '@strongbox/test-services';

/**
 * Leave a throwaway server running and thawed for the next test, whatever the last one did.
 * Thawing is harmless for a server that runs, and fails for one that was stopped, which is then
 * started again. `pid` cannot tell: it is known only for local binaries, not in a container.
 */
export async function runningAndThawed(controls: RedisServerControls): Promise<void> {
  try {
    await controls.resume();
  } catch {
    await controls.restart();
  }
}

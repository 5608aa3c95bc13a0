import { redactText } from '@strongbox/core';
import { startRedis } from '@strongbox/test-services';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Redis (`redis://host:port`) that healthy primaries use. */
    redisUrl: string;
  }
}

/** Find or start the shared Redis (env, Docker, local binaries); stop it when the run ends. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide('redisUrl', redis.url);
  console.info(`Redis (${redis.source}): ${redactText(redis.url)}`);
  return () => redis.stop();
}

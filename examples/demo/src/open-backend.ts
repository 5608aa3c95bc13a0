import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';

/** The adapters the demo can run on. */
export const BACKEND_NAMES = ['memory', 'postgres', 'redis'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The networked adapters: their package and factory, loaded only when chosen. */
const NETWORKED = {
  postgres: { specifier: '@strongbox/postgres', factory: 'createPostgresBackend' },
  redis: { specifier: '@strongbox/redis', factory: 'createRedisBackend' },
} as const;

type Factory = (options: { url: string; combine: boolean }) => Promise<KVBackend>;

/** A problem the user can fix (bad choice, missing URL, adapter not built); printed without a stack. */
export class DemoSetupError extends Error {
  override readonly name = 'DemoSetupError';
}

/**
 * Open the chosen backend, with or without combining of concurrent increments. Networked
 * adapters are imported lazily, so memory needs nothing else built.
 */
export async function openBackend(
  name: BackendName,
  url: string | undefined,
  combine = true,
): Promise<KVBackend> {
  if (name === 'memory') return createMemoryBackend({ combine });
  if (url === undefined) {
    throw new DemoSetupError(`--backend ${name} needs a server: pass --url or set STRONGBOX_URL`);
  }
  return (await loadFactory(name))({ url, combine });
}

async function loadFactory(name: keyof typeof NETWORKED): Promise<Factory> {
  const { specifier, factory } = NETWORKED[name];
  let adapter: Record<string, unknown>;
  try {
    // A variable specifier keeps TypeScript from requiring the adapter at build time.
    adapter = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new DemoSetupError(
        `${specifier} is not built yet. Run \`pnpm build\` at the repository root, then retry ` +
          `(the memory backend works without it).`,
      );
    }
    throw error;
  }
  const create = adapter[factory];
  if (typeof create !== 'function') {
    throw new DemoSetupError(`${specifier} does not export ${factory} yet`);
  }
  return create as Factory;
}

/** The backend a URL's scheme points at, if any. */
export function backendForUrl(url: string): BackendName | undefined {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^rediss?:\/\//i.test(url)) return 'redis';
  return undefined;
}

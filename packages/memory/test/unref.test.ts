import { fileURLToPath } from 'node:url';
import { runModuleInChild } from '@strongbox/test-services/child-process';
import { describe, expect, it } from 'vitest';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
/** The package folder, where Deno finds the node_modules the built code imports from. */
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const runChild = (script: string) => runModuleInChild(script, { cwd: packageDir });

describe('memory sweep timer', () => {
  it('does not keep the process alive when a backend is never closed', async () => {
    const script = `
      const { createMemoryBackend } = await import(${JSON.stringify(distEntry)});
      const kv = await createMemoryBackend({ sweepInterval: 10 });
      await kv.set('lease', 'holder', { ttl: 60000 });
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false, stdout: '' });
  });

  it('does not keep the process alive while a sweep backlog is being worked off', async () => {
    // The first sweep step releases the only thing holding the process, then every step
    // claims more work remains: only unref'd continuations let the process exit.
    const script = `
      const { MemoryBackend } = await import(${JSON.stringify(distEntry)});
      const holdUntilFirstSweep = setTimeout(() => {}, 60000);
      class EndlessBacklog extends MemoryBackend {
        sweep() {
          clearTimeout(holdUntilFirstSweep);
          super.sweep();
          return true;
        }
      }
      new EndlessBacklog({ sweepInterval: 10 });
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false, stdout: '' });
  });
});

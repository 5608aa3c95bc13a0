import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
/** Far above a healthy exit (well under a second) yet below the test timeout. */
const KILL_AFTER_MS = 20_000;

/** The arguments that make this runtime evaluate `script` as an ES module. */
function evalArguments(script: string): string[] {
  if (process.versions.bun !== undefined) return ['-e', script];
  if ('Deno' in globalThis) return ['eval', '--node-modules-dir=manual', script];
  return ['--input-type=module', '-e', script];
}

/** Run `script` as an ES module in a child of this runtime; resolve how it ended. */
function runChild(script: string): Promise<{ code: number | null; killed: boolean }> {
  return new Promise((resolve, reject) => {
    // From the package folder, where Deno finds the node_modules the built code imports from.
    const child = spawn(process.execPath, evalArguments(script), {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, killed });
    });
  });
}

describe('memory sweep timer', () => {
  it('does not keep the process alive when a backend is never closed', async () => {
    const script = `
      const { createMemoryBackend } = await import(${JSON.stringify(distEntry)});
      const kv = await createMemoryBackend({ sweepInterval: 10 });
      await kv.set('lease', 'holder', { ttl: 60000 });
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false });
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
    expect(await runChild(script)).toEqual({ code: 0, killed: false });
  });
});

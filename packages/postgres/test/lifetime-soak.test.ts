import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedUrl } from './support/shared-server.js';

/** At least 60 s of bursts and idle gaps on connections that live 3 s (see the script). */
const SOAK_MS = 62_000;

interface SoakResult {
  calls: number;
  failures: string[];
  slowestCallMs: number;
  slowestOwnQueryMs: number;
  bursts: number;
  /** The child's clock when it printed, right after close(). */
  closedAt: number;
}

/** Run the soak script in a child process: its result and how long it took to exit after. */
function runSoak(): Promise<{ result: SoakResult; code: number | null; exitAfterMs: number }> {
  const script = fileURLToPath(new URL('./support/lifetime-soak.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, STRONGBOX_SOAK_URL: sharedUrl(), STRONGBOX_SOAK_MS: String(SOAK_MS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      printedAt = performance.now();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), SOAK_MS + 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      try {
        const result = JSON.parse(output.trim()) as SoakResult;
        resolve({ result, code, exitAfterMs: performance.now() - printedAt });
      } catch {
        reject(new Error(`the soak printed no result (exit code ${code}): ${output}`));
      }
    });
  });
}

describe('connections reaching their lifetime (soak)', () => {
  it(
    'bursts and idle gaps for 60 s on 3 s connections: no failed call, none slow, the pool intact, a clean exit',
    async () => {
      const { result, code, exitAfterMs } = await runSoak();
      console.log(
        `lifetime soak: ${result.calls} calls in ${result.bursts} bursts, slowest call ${Math.round(result.slowestCallMs)} ms, slowest own query ${Math.round(result.slowestOwnQueryMs)} ms, exited ${Math.round(exitAfterMs)} ms after close`,
      );
      expect(result.failures).toEqual([]);
      expect(result.bursts).toBeGreaterThanOrEqual(20);
      expect(result.slowestCallMs).toBeLessThan(1000);
      expect(result.slowestOwnQueryMs).toBeLessThan(1000);
      expect(code).toBe(0);
      // Nothing left holding the process once closed (porsager's own timers are cleared by end).
      expect(exitAfterMs).toBeLessThan(5000);
    },
    SOAK_MS + 60_000,
  );
});

import { spawn } from 'node:child_process';
import { killOnExit } from './process-utils.js';

/** Far above a healthy child run (well under a second) yet below a test's timeout. */
const DEFAULT_KILL_AFTER_MS = 20_000;

/** How a child run ended. */
export interface ChildRun {
  /** Its exit code; null when a signal ended it. */
  code: number | null;
  /** Whether it was killed for still running after `killAfterMs`. */
  killed: boolean;
  /** What it printed to stdout, trimmed (stderr goes to this process's). */
  stdout: string;
}

/** Where and for how long a child runs. */
export interface RunModuleOptions {
  /** Its working directory: a package folder, where Deno finds the `node_modules` it imports from. */
  cwd: string;
  /** SIGKILL it after this many ms (default 20 s). */
  killAfterMs?: number;
}

/** The arguments that make this runtime (Node, Bun or Deno) evaluate `script` as an ES module. */
function evalArguments(script: string): string[] {
  if (process.versions.bun !== undefined) return ['-e', script];
  if ('Deno' in globalThis) return ['eval', '--node-modules-dir=manual', script];
  return ['--input-type=module', '-e', script];
}

/**
 * Run `script` as an ES module in a child of this runtime (Node, Bun or Deno), for tests of
 * what keeps a process alive. Resolves how it ended; rejects only when it cannot start.
 */
export function runModuleInChild(script: string, options: RunModuleOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, evalArguments(script), {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    killOnExit(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs ?? DEFAULT_KILL_AFTER_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout: stdout.trim() });
    });
  });
}

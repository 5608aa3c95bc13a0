import { type ChildProcess, execFile } from 'node:child_process';

/** Children that must not outlive this process, even when a test run crashes. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill `child` with SIGKILL if this process exits while the child still runs. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' listeners must be synchronous; SIGKILL also ends a SIGSTOPped child.
  process.once('exit', () => {
    for (const orphan of children) orphan.kill('SIGKILL');
  });
}

/** True while `child` has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Resolve once `child` has exited. After `timeoutMs` it is sent SIGKILL (and SIGCONT, in case it
 * was stopped), so this always settles.
 */
export function waitForExit(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.kill('SIGCONT');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Who a command runs as (root may run a server's tools as its own user) and where. */
export interface RunAs {
  uid?: number;
  gid?: number;
  cwd?: string;
}

/** Run a program to completion and return its stdout; rejects with its stderr on failure. */
export function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = 30_000,
  runAs: RunAs = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { timeout: timeoutMs, encoding: 'utf8' as const, ...runAs };
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error) {
        const output = `${stderr}${stdout}`.trim();
        reject(
          new Error(`${file} failed: ${error.message}${output ? `\n${output}` : ''}`, {
            cause: error,
          }),
        );
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Poll `check` every `intervalMs` until it resolves true; reject after `timeoutMs` naming `what`.
 * A check that throws gives up at once with its error (return false to keep waiting).
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

import { fileURLToPath } from 'node:url';
import { runModuleInChild } from '@strongbox/test-services/child-process';
import { describe, expect, it } from 'vitest';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
/** The package folder, where Deno finds the node_modules the built code imports from. */
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const runChild = (script: string) => runModuleInChild(script, { cwd: packageDir });

describe('a pending call', () => {
  it('settles with TIMEOUT at its deadline even when its driver holds nothing that keeps the process alive', async () => {
    // The driver's promise never settles and owns no socket or timer: only the call's own
    // deadline is left to keep the process running until the call has an outcome.
    const script = `
      const { KVBackendBase } = await import(${JSON.stringify(distEntry)});
      class SilentDriver extends KVBackendBase {
        constructor() { super({ name: 'silent', operationTimeout: 200 }); }
        doGet() { return new Promise(() => {}); }
        doPing() { return new Promise(() => {}); }
        async doClose() {}
      }
      const kv = new SilentDriver();
      const outcomes = await Promise.all([
        kv.get('k').catch((error) => error.code),
        kv.ping({ timeout: 300 }).catch((error) => error.code),
      ]);
      console.log(outcomes.join(' '));
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false, stdout: 'TIMEOUT TIMEOUT' });
  });

  it('settles with TIMEOUT at its deadline while it waits to be combined behind an increment that never settles', async () => {
    // The first increment has no deadline and its driver holds nothing: only the waiting
    // call's own deadline is left to keep the process running.
    const script = `
      const { KVBackendBase } = await import(${JSON.stringify(distEntry)});
      class SilentDriver extends KVBackendBase {
        constructor() { super({ name: 'silent' }); }
        doIncrement() { return new Promise(() => {}); }
        async doClose() {}
      }
      const kv = new SilentDriver();
      void kv.increment('k', 1);
      const waiting = await kv.increment('k', 1, { timeout: 200 }).catch((error) => error.code);
      console.log(waiting);
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false, stdout: 'TIMEOUT' });
  });

  it('settles an update with TIMEOUT at its deadline when its read never settles', async () => {
    // The backend has no deadline of its own and its read holds nothing: only the update's
    // own deadline is left to keep the process running.
    const script = `
      const { KVBackendBase, update } = await import(${JSON.stringify(distEntry)});
      class SilentDriver extends KVBackendBase {
        constructor() { super({ name: 'silent' }); }
        doGet() { return new Promise(() => {}); }
        async doClose() {}
      }
      const kv = new SilentDriver();
      const step = () => ({ result: 'unused', next: 'x' });
      const outcome = await update(kv, 'k', step, { timeout: 200 }).catch((error) => error.code);
      console.log(outcome);
    `;
    expect(await runChild(script)).toEqual({ code: 0, killed: false, stdout: 'TIMEOUT' });
  });
});

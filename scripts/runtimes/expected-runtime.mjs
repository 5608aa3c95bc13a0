// Which runtime a runtime job must run on, and what this process really runs on. Both test
// files of a job (vitest and node:test) check the one against the other, so a job that
// silently fell back to the machine's Node fails.

/** The runtime the job was started for (set by run.mjs). */
export const expectedRuntime = globalThis.process?.env?.STRONGBOX_RUNTIME;

/** The runtime this process runs on, in run.mjs's names: `bun`, `deno`, `web` or `node<major>`. */
export function actualRuntime() {
  if (globalThis.Deno?.version?.deno !== undefined) return 'deno';
  if (globalThis.process?.versions?.bun !== undefined) return 'bun';
  const node = globalThis.process?.versions?.node;
  if (node === undefined) return 'unknown';
  const hidesNodeGlobals =
    typeof globalThis.Buffer === 'undefined' && typeof setTimeout(() => {}, 0) === 'number';
  return hidesNodeGlobals ? 'web' : `node${node.split('.')[0]}`;
}

/** A one-line description of this process's runtime, for failure messages and logs. */
export function describeRuntime() {
  const { versions } = globalThis.process ?? {};
  const deno = globalThis.Deno?.version?.deno;
  return deno ? `Deno ${deno}` : versions?.bun ? `Bun ${versions.bun}` : `Node ${versions?.node}`;
}

/**
 * Module customization hooks (`module.register`) that load `@strongbox/core` with its
 * diagnostics check constant-folded: `isObserved()` returns false, so `run()` never reaches the
 * traced path and V8 can drop the check. That is core as if built without instrumentation,
 * for counting what the check costs; nothing else of core changes.
 */

/** The check as core's build emits it (packages/core/src/diagnostics.ts). */
const IS_OBSERVED = /export function isObserved\(op\) \{[^}]*\}/;

interface LoadResult {
  format?: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const loaded = await nextLoad(url, context);
  if (!url.endsWith('/core/dist/diagnostics.js')) return loaded;
  const source =
    typeof loaded.source === 'string'
      ? loaded.source
      : new TextDecoder().decode(loaded.source as Uint8Array);
  if (!IS_OBSERVED.test(source)) {
    throw new Error(`strip-instrumentation: isObserved() not found in ${url}; update the pattern`);
  }
  return {
    ...loaded,
    source: source.replace(IS_OBSERVED, 'export function isObserved(op) { return false; }'),
  };
}

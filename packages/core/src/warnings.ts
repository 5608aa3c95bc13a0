/**
 * Report `warning` the runtime's way: `process.emitWarning` where there is a Node-style
 * `process` (Node, Bun, Deno), else `console.warn`. The default for adapters' background
 * `onError` callbacks, which must not throw on runtimes without `process`.
 */
export function emitWarning(warning: Error): void {
  const process = (globalThis as { process?: { emitWarning?: (warning: Error) => void } }).process;
  if (typeof process?.emitWarning === 'function') process.emitWarning(warning);
  else console.warn(warning);
}

// Simulates a plain Web runtime under Node: no `Buffer`, and timers that return numeric ids
// (as browsers do) instead of objects with `unref()`. Deno 2 and Bun provide both, so they
// hide code that relies on them. Loaded before the tests in each test process (vitest's
// setupFiles, or `node --import`); vitest and npm themselves need the real globals.
const { setTimeout: nodeSetTimeout, setInterval: nodeSetInterval } = globalThis;

delete globalThis.Buffer;
// Node's clearTimeout and clearInterval accept the numeric id of a Node timer.
globalThis.setTimeout = (...args) => Number(nodeSetTimeout(...args));
globalThis.setInterval = (...args) => Number(nodeSetInterval(...args));

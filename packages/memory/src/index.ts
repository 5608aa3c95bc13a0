export { createMemoryBackend } from './create-memory-backend.js';
export type { MemoryEntry } from './entry.js';
export { MemoryBackend } from './memory-backend.js';
export { DEFAULT_SWEEP_INTERVAL, type MemoryBackendOptions } from './options.js';

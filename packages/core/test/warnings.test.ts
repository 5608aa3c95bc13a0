import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitWarning } from '../src/warnings.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('emitWarning', () => {
  it('emits a process warning where there is a Node-style process', () => {
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const warning = new Error('sweep failed');
    emitWarning(warning);
    expect(emitted).toHaveBeenCalledWith(warning);
  });

  it('logs to console.warn, without throwing, on a runtime without process', () => {
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const warning = new Error('sweep failed');
    vi.stubGlobal('process', undefined);
    try {
      emitWarning(warning);
    } finally {
      vi.unstubAllGlobals(); // vitest itself needs process back at once
    }
    expect(logged).toHaveBeenCalledWith(warning);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { unrefTimer } from '../src/timers.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('unrefTimer', () => {
  it('calls unref() on a timer object (Node, Bun, Deno 2)', () => {
    const unref = vi.fn();
    unrefTimer({ unref } as unknown as ReturnType<typeof setTimeout>);
    expect(unref).toHaveBeenCalledOnce();
  });

  it("hands a numeric timer id to Deno's unrefTimer", () => {
    const unrefDenoTimer = vi.fn();
    vi.stubGlobal('Deno', { unrefTimer: unrefDenoTimer });
    unrefTimer(42 as unknown as ReturnType<typeof setTimeout>);
    expect(unrefDenoTimer).toHaveBeenCalledWith(42);
  });

  it('accepts a numeric timer id where nothing can unref it (browsers)', () => {
    vi.stubGlobal('Deno', undefined);
    expect(() => unrefTimer(42 as unknown as ReturnType<typeof setTimeout>)).not.toThrow();
  });
});

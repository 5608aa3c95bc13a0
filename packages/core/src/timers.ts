/**
 * Let the process exit while `timer` is pending. Node and Bun timers have `unref()`; where a
 * runtime returns numeric timer ids (Deno, browsers), Deno's `unrefTimer` does the same.
 */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === 'number') {
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
    deno?.unrefTimer?.(timer);
    return;
  }
  (timer as { unref?: () => void }).unref?.();
}

/** A clock the test moves by hand, shared by the memory backend and the recipe under test. */
export function fakeClock(start = 0) {
  let now = start;
  return {
    now: (): number => now,
    advance(ms: number): void {
      now += ms;
    },
  };
}

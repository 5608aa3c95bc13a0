import { createMemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

export const clientClock: BrokenFixture = {
  name: 'client-clock',
  defect: "expiry is computed and compared with the client's wall clock (Date.now)",
  breaks: ['clock.backend'],
  create: () => createMemoryBackend({ clock: () => Date.now() }),
};

/** The same defect through the other way to read the wall clock, which `Date.now` does not cover. */
export const clientDateObject: BrokenFixture = {
  name: 'client-date-object',
  defect: "expiry is computed and compared with the client's wall clock (new Date())",
  breaks: ['clock.backend'],
  // biome-ignore lint/complexity/useDateNow: reading the clock this way is the defect under test
  create: () => createMemoryBackend({ clock: () => new Date().getTime() }),
};

import { createMemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

export const clientClock: BrokenFixture = {
  name: 'client-clock',
  defect: "expiry is computed and compared with the client's wall clock (Date.now)",
  breaks: ['clock.backend'],
  create: () => createMemoryBackend({ clock: () => Date.now() }),
};

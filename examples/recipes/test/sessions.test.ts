import { createMemoryBackend } from '@strongbox/memory';
import { expect, it } from 'vitest';
import { Sessions } from '../src/sessions.js';

const THIRTY_MINUTES = 30 * 60_000;

it('expires a session after 30 idle minutes, and each use extends it', async () => {
  let now = 0; // the backend's clock, in ms: the test moves it
  await using kv = await createMemoryBackend({ clock: () => now });
  const sessions = new Sessions(kv, THIRTY_MINUTES);

  const id = await sessions.start('ada');
  now += THIRTY_MINUTES - 1;
  expect(await sessions.touch(id)).toBe('ada'); // used just in time: 30 more minutes
  now += THIRTY_MINUTES - 1;
  expect(await sessions.touch(id)).toBe('ada');
  now += THIRTY_MINUTES;
  expect(await sessions.touch(id)).toBeNull();
});

it('does not bring back a session ended while it was being used', async () => {
  await using kv = await createMemoryBackend();
  const sessions = new Sessions(kv, THIRTY_MINUTES);
  const id = await sessions.start('ada');
  const [touched] = await Promise.all([sessions.touch(id), sessions.end(id)]);
  expect(touched).toBeNull();
  expect(await sessions.touch(id)).toBeNull();
});

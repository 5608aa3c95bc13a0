import type { RedisServerControls } from '@strongbox/test-services';
import { describe, expect, it } from 'vitest';
import { runningAndThawed } from './helpers/server-reset.js';

/**
 * A server controlled like one in a container: its `pid` is never known, restarting it while it
 * runs starts nothing new, and thawing it while it is stopped fails.
 */
function containerLikeServer(state: 'running' | 'paused' | 'stopped') {
  const server = {
    state,
    host: '127.0.0.1',
    port: 1,
    pid: undefined,
    async shutdown() {
      server.state = 'stopped';
    },
    async restart() {
      if (server.state === 'stopped') server.state = 'running';
    },
    async pause() {
      server.state = 'paused';
    },
    async resume() {
      if (server.state === 'stopped') throw new Error('not running');
      server.state = 'running';
    },
  } satisfies RedisServerControls & { state: string };
  return server;
}

describe('runningAndThawed', () => {
  it.each(['running', 'paused', 'stopped'] as const)(
    'leaves a %s server running, without relying on its pid',
    async (state) => {
      const server = containerLikeServer(state);
      await runningAndThawed(server);
      expect(server.state).toBe('running');
    },
  );
});

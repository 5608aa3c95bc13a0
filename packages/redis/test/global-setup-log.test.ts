import { afterEach, describe, expect, it, vi } from 'vitest';
import setup from './global-setup.js';

describe('the global setup', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('never prints the password of a TEST_REDIS_URL', async () => {
    vi.stubEnv('TEST_REDIS_URL', 'redis://:pw-Zq7-never-logged@127.0.0.1:6390');
    vi.stubEnv('TEST_REDIS_CLUSTER_NODES', '127.0.0.1:7000');
    const printed: unknown[] = [];
    vi.spyOn(console, 'info').mockImplementation((...args) => void printed.push(...args));
    const provided = new Map<string, unknown>();
    const project = { provide: (name: string, value: unknown) => provided.set(name, value) };
    const stop = await setup(project as unknown as Parameters<typeof setup>[0]);
    await stop();
    expect(provided.get('redisUrl')).toBe('redis://:pw-Zq7-never-logged@127.0.0.1:6390');
    expect(printed.join('\n')).toContain('127.0.0.1:6390');
    expect(printed.join('\n')).not.toContain('pw-Zq7-never-logged');
  });
});

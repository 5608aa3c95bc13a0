import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/cli-options.js';
import { DemoSetupError, openBackend } from '../src/open-backend.js';

describe('demo options', () => {
  it('defaults to the memory backend', () => {
    expect(parseDemoArgs([], {})).toEqual({
      backend: 'memory',
      url: undefined,
      clients: 6,
      durationMs: 800,
      limit: 10,
      windowMs: 250,
    });
  });

  it('skips the `--` that `pnpm demo -- options` passes on', () => {
    expect(parseDemoArgs(['--', '--limit', '5', '--backend', 'memory'], {})).toMatchObject({
      backend: 'memory',
      limit: 5,
    });
    expect(parseDemoArgs(['--', '--help'], {})).toBe('help');
  });

  it('takes the URL from STRONGBOX_URL and the backend from its scheme', () => {
    const env = { STRONGBOX_URL: 'redis://127.0.0.1:6379' };
    expect(parseDemoArgs([], env)).toMatchObject({ backend: 'redis', url: env.STRONGBOX_URL });
    expect(parseDemoArgs(['--url', 'postgresql://u:p@h/db'], env)).toMatchObject({
      backend: 'postgres',
      url: 'postgresql://u:p@h/db',
    });
    expect(parseDemoArgs(['--backend', 'memory'], env)).toMatchObject({ backend: 'memory' });
  });

  it.each([
    [['--backend', 'mysql']],
    [['--limit', '0']],
    [['--window', 'soon']],
    [['--bogus']],
    [['--', '--', '--help']],
  ])('rejects %j with a setup error', (argv) => {
    expect(() => parseDemoArgs(argv, {})).toThrow(DemoSetupError);
  });

  it('asks for a URL before loading a networked adapter', async () => {
    await expect(openBackend('postgres', undefined)).rejects.toThrow(/--url or set STRONGBOX_URL/);
  });
});

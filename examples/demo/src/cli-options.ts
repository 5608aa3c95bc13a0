import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName, backendForUrl, DemoSetupError } from './open-backend.js';

/** What one demo run does. */
export interface DemoConfig {
  backend: BackendName;
  url: string | undefined;
  clients: number;
  /** How long each of the four phases (hot key / own keys, combining on / off) runs. */
  durationMs: number;
  limit: number;
  windowMs: number;
}

export const USAGE = `Usage: pnpm demo [-- options]

  --backend memory|postgres|redis   adapter to use (default: memory, or the one --url names)
  --url URL                         server URL for postgres/redis (or STRONGBOX_URL)
  --clients N                       simulated clients (default 6)
  --duration MS                     how long each of the four phases runs (default 800)
  --limit N                         requests a window admits per key (default 10)
  --window MS                       window length (default 250)
  --help                            this text`;

/**
 * Read the demo's options from `argv` and `env`; throws DemoSetupError for bad ones. A leading
 * `--` is skipped: `pnpm demo -- --limit 5` hands it on to the program.
 */
export function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv): DemoConfig | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv[0] === '--' ? argv.slice(1) : argv).values;
  } catch (error) {
    throw new DemoSetupError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const url = values.url ?? (env.STRONGBOX_URL || undefined);
  return {
    backend: chooseBackend(values.backend, url),
    url,
    clients: positiveInteger('clients', values.clients, 6),
    durationMs: positiveInteger('duration', values.duration, 800),
    limit: positiveInteger('limit', values.limit, 10),
    windowMs: positiveInteger('window', values.window, 250),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      backend: { type: 'string' },
      url: { type: 'string' },
      clients: { type: 'string' },
      duration: { type: 'string' },
      limit: { type: 'string' },
      window: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function chooseBackend(requested: string | undefined, url: string | undefined): BackendName {
  if (requested === undefined) return (url && backendForUrl(url)) || 'memory';
  if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw new DemoSetupError(`--backend must be one of ${BACKEND_NAMES.join(', ')}`);
  }
  return requested as BackendName;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DemoSetupError(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

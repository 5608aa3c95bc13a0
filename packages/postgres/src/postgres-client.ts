import { KVError } from '@strongbox/core';
import postgres from 'postgres';
import { withMaxPipeline } from './lanes/porsager-internals.js';
import type { OwnedClientSettings, PostgresClient, PostgresSettings } from './options.js';

/** Statements in flight per connection: the running one and one pipelined behind it. */
export const STATEMENTS_PER_CONNECTION = 2;

/** The adapter's client, and whether the adapter must end it on close. */
export interface OpenedClient {
  sql: PostgresClient;
  owned: boolean;
}

/**
 * The client to use: the caller's `sql`, or a new one built from `url`. Building does no I/O
 * (porsager connects on first use). Throws `INVALID_CONN_STRING` when the driver cannot parse
 * the URL; the URL itself is never echoed, since it may hold a password.
 */
export function openClient(settings: PostgresSettings): OpenedClient {
  const { source } = settings;
  if (source.kind === 'sql') return { sql: source.sql, owned: false };
  try {
    return { sql: postgres(source.url, driverOptions(settings.client)), owned: true };
  } catch {
    throw new KVError({
      code: 'INVALID_CONN_STRING',
      backend: 'postgres',
      detail: 'the driver could not parse url',
    });
  }
}

/**
 * porsager options for the adapter's own client.
 * - The adapter sends its statements on reserved connections, two at a time each (see
 *   `lanes/connection-lanes.ts`); `max_pipeline: 2` lets the second go out behind the first, and
 *   bounds what your own queries on `sql` pipeline.
 * - A bounded `connect_timeout` and a short reconnect backoff (at most 1 s instead of 20 s)
 *   make calls fail fast while the server is down and recover soon after it returns.
 * - No array-type lookup on connect (nothing here uses arrays), notices are not printed.
 */
export function driverOptions(
  client: OwnedClientSettings,
): postgres.Options<Record<string, never>> {
  const options = {
    max: client.max,
    prepare: client.prepare,
    connect_timeout: client.connectTimeout / 1000,
    idle_timeout: client.idleTimeout === 0 ? undefined : client.idleTimeout / 1000,
    backoff: reconnectDelay,
    fetch_types: false,
    onnotice: () => undefined,
    connection: { application_name: client.applicationName },
    ...(client.ssl === undefined ? {} : { ssl: client.ssl }),
    ...(client.maxLifetime === undefined
      ? {}
      : { max_lifetime: client.maxLifetime === 0 ? null : client.maxLifetime / 1000 }),
  };
  return withMaxPipeline(options, STATEMENTS_PER_CONNECTION);
}

/** Seconds before reconnect attempt `attempt`: 50 ms doubling up to 1 s, with jitter. */
function reconnectDelay(attempt: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** attempt, 1);
}

/** Each client's secrets list, shared by every backend on it (see {@link clientSecrets}). */
const secretsOfClient = new WeakMap<object, string[]>();

/**
 * The password the client authenticates with (raw and URL-encoded) and a TLS key passphrase:
 * scrubbed from every error. Works for a caller's `sql` too (porsager keeps its parsed
 * options on `sql.options`). A password given as a function, which porsager calls at each
 * connect, is known only from its answers: the function is wrapped so that each answer joins
 * the list (a live list: errors after that connect are scrubbed of it).
 */
export function clientSecrets(sql: PostgresClient): string[] {
  const options = sql.options as { pass?: unknown; ssl?: unknown };
  const known = secretsOfClient.get(options);
  if (known !== undefined) return known;
  const secrets: string[] = [];
  secretsOfClient.set(options, secrets);
  const remember = (secret: unknown) => {
    if (typeof secret !== 'string' || secret === '') return;
    for (const form of [secret, encodeURIComponent(secret)]) {
      if (!secrets.includes(form)) secrets.push(form);
    }
  };
  const { pass, ssl } = options;
  if (typeof pass === 'function') {
    options.pass = async () => {
      const answer: unknown = await pass();
      remember(answer);
      return answer;
    };
  } else remember(pass);
  if (typeof ssl === 'object' && ssl !== null)
    remember((ssl as { passphrase?: unknown }).passphrase);
  return secrets;
}

/** Open `count` connections at once (porsager has no minimum pool) and check each answers. */
export async function warmUp(sql: PostgresClient, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => sql.unsafe('SELECT 1')));
}

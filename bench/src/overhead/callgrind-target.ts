import { tracingChannel } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
import { VALUE } from '../workloads.js';
import { runFixedCalls } from './run-fixed-calls.js';

/**
 * The program `instruction-count.ts` runs under callgrind: memory `get`s (hits) at 64 in
 * flight, `--warmup` of them then `--gets` more, on the memory backend at `--memory` (an entry
 * point from core-copies.ts). Variants: `stock` (core as built, no subscriber), `stripped` (a
 * copy whose diagnostics check is folded away), `subscribed` (stock, with
 * @strongbox/opentelemetry listening and the OpenTelemetry SDK behind it).
 */
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=', 2);
    return [name as string, value ?? ''];
  }),
);
const variant = args.get('variant');
const memory = args.get('memory');
const gets = Number(args.get('gets'));
const warmup = Number(args.get('warmup'));
if (
  !['stock', 'stripped', 'subscribed'].includes(variant ?? '') ||
  memory === undefined ||
  !(gets > 0 && warmup >= 0)
) {
  throw new Error(
    'usage: callgrind-target --variant=stock|stripped|subscribed --memory=FILE --gets=N --warmup=N',
  );
}

const { createMemoryBackend } = (await import(
  pathToFileURL(memory).href
)) as typeof import('@strongbox/memory');
const kv = await createMemoryBackend();
const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`);
for (const key of keys) await kv.set(key, VALUE);
let stopSubscriber = async () => {};
if (variant === 'subscribed') {
  const { instrumentStrongbox } = await import('@strongbox/opentelemetry');
  const { startOpenTelemetrySdk } = await import('./opentelemetry-sdk.js');
  const sdk = startOpenTelemetrySdk();
  const instrumentation = instrumentStrongbox(sdk.providers);
  stopSubscriber = async () => {
    instrumentation.disable();
    await sdk.shutdown();
  };
}
let next = 0;
const get = () => {
  const key = keys[next] as string;
  next = next + 1 === keys.length ? 0 : next + 1;
  return kv.get(key);
};
await runFixedCalls(get, warmup, 64);
await runFixedCalls(get, gets, 64);
await stopSubscriber();
// After the counted gets, so that subscribing cannot change what was measured.
const traced = await tracedGets();
if (traced !== (variant === 'stripped' ? 0 : 1)) {
  throw new Error(
    `${variant} core traced ${traced} of 1 subscribed get: the variant is not what it claims`,
  );
}
await kv.close();

/** How many `start` events one get publishes while a subscriber listens. */
async function tracedGets(): Promise<number> {
  let traced = 0;
  const subscribers = {
    start: () => {
      traced++;
    },
  };
  const channel = tracingChannel('strongbox:get');
  channel.subscribe(subscribers as never);
  await kv.get('k0');
  channel.unsubscribe(subscribers as never);
  return traced;
}

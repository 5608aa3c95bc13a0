import type { ContenderKind, OpName } from '../contender.js';

/** How each op is named on the page users read. */
export const OP_TITLES: Record<OpName, string> = {
  'get-hit': 'get (hit)',
  'get-miss': 'get (miss)',
  set: 'set',
  'set-ttl': 'set with TTL',
  cas: 'checkAndSet, distinct keys',
  'cas-hot': 'checkAndSet loop, one hot key',
  delete: 'delete',
};

/** Contenders in the order tables and charts show them, after Strongbox. */
export const CONTENDER_ORDER: readonly Exclude<ContenderKind, 'strongbox'>[] = [
  'raw',
  'raw-pipelined',
  'keyv',
  'keyv6',
  'unstorage',
  'map',
];

/**
 * Legend names, short names for table headers, and one colour per contender that stays the
 * same in every chart.
 */
export const CONTENDER_STYLE: Record<
  ContenderKind,
  { name: string; short: string; color: string }
> = {
  strongbox: { name: 'Strongbox', short: 'Strongbox', color: '#0969da' },
  raw: { name: 'raw driver, same commands', short: 'raw', color: '#8c959f' },
  'raw-pipelined': {
    name: 'raw porsager, max_pipeline 1',
    short: 'raw pipelined',
    color: '#424a53',
  },
  keyv: { name: 'Keyv 5', short: 'Keyv 5', color: '#fb8f44' },
  keyv6: { name: 'Keyv 6', short: 'Keyv 6', color: '#bc4c00' },
  unstorage: { name: 'unstorage', short: 'unstorage', color: '#2da44e' },
  map: { name: 'async Map', short: 'async Map', color: '#8250df' },
};

import assert from 'node:assert/strict';
import { describeValue } from '../describe-value.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

/** Measures UTF-8 bytes without `Buffer`, which Web runtimes lack. */
const utf8 = new TextEncoder();
/** Keys of exactly 1024 UTF-8 bytes: ASCII, 3-byte and 4-byte characters. */
const LONGEST_KEYS = ['k'.repeat(1024), `${'€'.repeat(341)}k`, '😀'.repeat(256)];

/** Keys that differ only in case, whitespace, normalization or characters special to some store. */
const LOOKALIKE_KEYS = [
  'key',
  'KEY',
  'key ',
  ' key',
  'é',
  'e\u0301',
  '😀',
  'a:b',
  'a*',
  'a?',
  'a[b]',
  'a%',
  'a_',
  "a'b",
  'a"b',
  'a\\b',
  'a\nb',
  '{tag}k',
];

/** Keys: any well-formed string of 1..1024 UTF-8 bytes, compared exactly. */
export function registerKeyTests(suite: ConformanceHarness): void {
  suite.test(
    'key.longest',
    'keys of exactly 1024 UTF-8 bytes (ASCII and multibyte) work with every operation',
    async ({ backend }) => {
      for (const key of LONGEST_KEYS) {
        assert.equal(utf8.encode(key).length, 1024);
        const shown = describeValue(key);
        await backend.set(key, 'a');
        assert.equal(await backend.checkAndSet(key, 'a', 'b'), true, `checkAndSet on ${shown}`);
        await expectStored(backend, key, 'b', `set and checkAndSet on ${shown}`);
        assert.equal(await backend.checkAndDelete(key, 'b'), true, `checkAndDelete on ${shown}`);
        await backend.set(key, 'c');
        assert.equal(await backend.delete(key), true, `delete on ${shown}`);
      }
      for (const [i, key] of LONGEST_KEYS.entries()) await backend.set(key, String(i));
      for (const [i, key] of LONGEST_KEYS.entries()) {
        await expectStored(backend, key, String(i), 'storing each longest key');
      }
    },
  );

  suite.test(
    'key.distinct',
    'keys are compared exactly: case, spaces, normalization and special characters all matter',
    async ({ backend }) => {
      for (const [i, key] of LOOKALIKE_KEYS.entries()) await backend.set(key, String(i));
      for (const [i, key] of LOOKALIKE_KEYS.entries()) {
        await expectStored(backend, key, String(i), 'storing each look-alike key');
      }
    },
  );
}

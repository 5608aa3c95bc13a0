import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { describeValue } from '../describe-value.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

const UNICODE_VALUES = [
  'héllo wörld',
  '日本語のテキスト',
  '😀 👩‍👩‍👧‍👦 🇺🇳',
  '\u{10FFFF}\u{1F600}',
  'é', // NFC
  'e\u0301', // the same letter in NFD: must stay distinct
  '\uFEFF BOM, \u2028 line separator, \u200F RTL mark',
  ' leading and trailing spaces ',
  'tab\tnewline\ncarriage\r\u0001\u007F',
  '\'quotes" and \\backslashes\\ and %s $1 $& {x}',
];

const NUL_VALUES = ['\u0000', 'a\u0000b', '\u0000\u0000', 'end\u0000', '\u0000start'];

/** Measures UTF-8 bytes without `Buffer`, which Web runtimes lack. */
const utf8 = new TextEncoder();
/** 1 MiB exactly, in ASCII and in 3- and 4-byte characters. */
const MIB = 1024 * 1024;
const LARGE_VALUES = ['x'.repeat(MIB), `${'€'.repeat(MIB / 4)}${'😀'.repeat(MIB / 16)}`];

/** Store each value with set and with checkAndSet and read it back; match it as an expected value. */
async function expectRoundTrips(backend: KVBackend, values: readonly string[]): Promise<void> {
  for (const [i, value] of values.entries()) {
    const shown = describeValue(value);
    await backend.set(`set-${i}`, value);
    await expectStored(backend, `set-${i}`, value, `set of ${shown}`);
    assert.equal(
      await backend.checkAndSet(`cas-${i}`, null, value),
      true,
      `checkAndSet(null, ${shown})`,
    );
    await expectStored(backend, `cas-${i}`, value, `checkAndSet of ${shown}`);
    assert.equal(
      await backend.checkAndSet(`cas-${i}`, value, `${value}!`),
      true,
      `checkAndSet expecting ${shown}`,
    );
    assert.equal(
      await backend.checkAndDelete(`set-${i}`, value),
      true,
      `checkAndDelete expecting ${shown}`,
    );
  }
}

/** Values: any well-formed string round-trips exactly; "" is a value, not absence. */
export function registerValueTests(suite: ConformanceHarness): void {
  suite.test(
    'value.unicode',
    'Unicode values (emoji, astral, NFC vs NFD, control characters) round-trip exactly',
    async ({ backend }) => {
      await expectRoundTrips(backend, UNICODE_VALUES);
    },
  );

  suite.test('value.nul', 'values containing U+0000 round-trip exactly', async ({ backend }) => {
    await expectRoundTrips(backend, NUL_VALUES);
  });

  suite.test('value.large', 'values of 1 MiB round-trip exactly', async ({ backend }) => {
    for (const value of LARGE_VALUES) assert.equal(utf8.encode(value).length, MIB);
    await expectRoundTrips(backend, LARGE_VALUES);
  });

  suite.test(
    'value.empty',
    'the empty string is stored and read back as "", distinct from absent (null)',
    async ({ backend }) => {
      await backend.set('k', '');
      await expectStored(backend, 'k', '', "set('k', '')");
      assert.equal(await backend.delete('k'), true, 'delete of a key holding ""');
      await expectStored(backend, 'k', null, 'delete');
    },
  );
}

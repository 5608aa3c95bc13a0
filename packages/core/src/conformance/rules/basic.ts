import assert from 'node:assert/strict';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

/** get, set, delete and ping on their own. */
export function registerBasicTests(suite: ConformanceHarness): void {
  suite.test('backend.name', 'the backend has a non-empty string name', async ({ backend }) => {
    assert.equal(typeof backend.name, 'string');
    assert.ok(backend.name.length > 0, 'name is empty');
  });

  suite.test('get.absent', 'get resolves null for a key never written', async ({ backend }) => {
    assert.equal(await backend.get('never-written'), null);
  });

  suite.test('set.stores', 'set stores a value that get reads back', async ({ backend }) => {
    assert.equal(await backend.set('k', 'v1'), undefined, 'set resolves undefined');
    await expectStored(backend, 'k', 'v1', "set('k', 'v1')");
  });

  suite.test('set.overwrite', 'set replaces an existing value', async ({ backend }) => {
    await backend.set('k', 'v1');
    await backend.set('k', 'v2');
    await expectStored(backend, 'k', 'v2', 'two sets');
  });

  suite.test(
    'delete.live',
    'delete removes a live key and resolves true; the key reads null',
    async ({ backend }) => {
      await backend.set('k', 'v');
      await backend.set('other', 'w');
      assert.equal(await backend.delete('k'), true, 'delete of a live key');
      await expectStored(backend, 'k', null, 'delete');
      await expectStored(backend, 'other', 'w', 'deleting another key');
    },
  );

  suite.test(
    'delete.absent',
    'delete resolves false for a key never written or already deleted',
    async ({ backend }) => {
      assert.equal(await backend.delete('never-written'), false, 'a key never written');
      await expectStored(backend, 'never-written', null, 'delete of an absent key');
      await backend.set('k', 'v');
      await backend.delete('k');
      assert.equal(await backend.delete('k'), false, 'a key already deleted');
    },
  );

  suite.test('ping.ok', 'ping resolves on a healthy backend', async ({ backend }) => {
    assert.equal(await backend.ping(), undefined);
  });
}

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { actualRuntime, describeRuntime, expectedRuntime } from './expected-runtime.mjs';

it(`runs on the runtime the job is for (${expectedRuntime})`, () => {
  assert.equal(typeof expectedRuntime, 'string', 'start this through scripts/runtimes/run.mjs');
  assert.equal(actualRuntime(), expectedRuntime, describeRuntime());
});

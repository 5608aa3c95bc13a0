import { expect, it } from 'vitest';
import { actualRuntime, describeRuntime, expectedRuntime } from './expected-runtime.mjs';

it(`runs on the runtime the job is for (${expectedRuntime})`, () => {
  expect(
    expectedRuntime,
    'STRONGBOX_RUNTIME: start this through scripts/runtimes/run.mjs',
  ).toBeTypeOf('string');
  expect(actualRuntime(), describeRuntime()).toBe(expectedRuntime);
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAdapterOptions, reportBackgroundFailure } from '../src/adapter-options.js';
import { isKVError, KVError } from '../src/errors.js';
import { emitWarning } from '../src/warnings.js';

/** The INVALID_CONFIG (or `code`) KVError `read` throws, with its detail. */
function rejection(read: () => unknown, code = 'INVALID_CONFIG'): KVError {
  try {
    read();
  } catch (error) {
    expect(isKVError(error, code as never), String(error)).toBe(true);
    expect(error).toMatchObject({ backend: 'test', unhealthy: false, indeterminate: false });
    return error as KVError;
  }
  return expect.fail('expected the option to be rejected');
}

/** What the error says after its generated prefix (`INVALID_CONFIG in test: `). */
const detailOf = (error: KVError) => error.message.slice(error.message.indexOf(': ') + 2);

const read = (given: Record<string, unknown>) => readAdapterOptions('test', given);

describe('readAdapterOptions', () => {
  it('takes a missing object as empty unless the adapter requires one', () => {
    expect(readAdapterOptions('test', undefined).given).toEqual({});
    const error = rejection(() =>
      readAdapterOptions('test', undefined, { optional: false, expects: 'with `url`' }),
    );
    expect(detailOf(error)).toBe('options must be an object with `url`');
  });

  it.each([null, [], 'fast', 3])('rejects %j as options', (options) => {
    rejection(() => readAdapterOptions('test', options));
  });

  it('rejects unknown names when the adapter lists the known ones, and not otherwise', () => {
    const error = rejection(() =>
      readAdapterOptions('test', { a: 1, b: 2, c: 3 }, { known: ['a'] }),
    );
    expect(detailOf(error)).toBe('unknown option(s): b, c');
    expect(readAdapterOptions('test', { a: 1, b: 2 }).given).toEqual({ a: 1, b: 2 });
  });
});

describe('AdapterOptions readers', () => {
  it('timeout: a positive number of ms up to 2^31 - 1, fractions allowed', () => {
    expect(read({}).timeout('t', 5000)).toBe(5000);
    expect(read({}).timeout('t')).toBeUndefined();
    expect(read({ t: 2.5 }).timeout('t', 1)).toBe(2.5);
    expect(read({ t: 2 ** 31 - 1 }).timeout('t', 1)).toBe(2 ** 31 - 1);
    for (const bad of [0, -1, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
      const error = rejection(() => read({ t: bad }).timeout('t', 1));
      expect(detailOf(error)).toBe('t must be a positive number of ms, at most 2147483647');
    }
  });

  it('interval: whole ms from the minimum (0 or 1) up to 2^31 - 1', () => {
    expect(read({ i: 0 }).interval('i', 7, 0)).toBe(0);
    expect(read({ i: 2 ** 31 - 1 }).interval('i', 7)).toBe(2 ** 31 - 1);
    expect(read({}).interval('i', 7)).toBe(7);
    for (const bad of [0, 1.5, 2 ** 31, -1, '10']) {
      const error = rejection(() => read({ i: bad }).interval('i', 7));
      expect(detailOf(error)).toBe('i must be an integer from 1 to 2147483647 ms');
    }
  });

  it('integer: within its limits, with the adapter’s error code', () => {
    const limits = { min: 0, max: 10, code: 'INVALID_POOL_CONFIG' } as const;
    expect(read({ n: 10 }).integer('n', 3, limits)).toBe(10);
    for (const bad of [11, -1, 1.5, '3']) {
      const error = rejection(
        () => read({ n: bad }).integer('n', 3, limits),
        'INVALID_POOL_CONFIG',
      );
      expect(detailOf(error)).toBe('n must be an integer from 0 to 10');
    }
  });

  it('boolean, callback, string and strings check their type', () => {
    const f = () => 1;
    expect(read({ b: false }).boolean('b', true)).toBe(false);
    expect(read({}).boolean('b', true)).toBe(true);
    expect(read({ f }).callback('f')).toBe(f);
    expect(read({ s: 'x' }).string('s', 'y')).toBe('x');
    expect(read({ l: ['a'] }).strings('l')).toEqual(['a']);
    expect(read({}).strings('l')).toEqual([]);
    expect(detailOf(rejection(() => read({ b: 'yes' }).boolean('b', true)))).toBe(
      'b must be a boolean',
    );
    expect(detailOf(rejection(() => read({ f: 'log' }).callback('f')))).toBe(
      'f must be a function',
    );
    expect(detailOf(rejection(() => read({ s: 7 }).string('s')))).toBe('s must be a string');
    for (const bad of ['a', [1], [null]]) {
      expect(detailOf(rejection(() => read({ l: bad }).strings('l')))).toBe(
        'l must be an array of strings',
      );
    }
  });

  it('onError defaults to core’s emitWarning and takes the adapter’s callback', () => {
    const onError = () => undefined;
    expect(read({}).onError()).toBe(emitWarning);
    expect(read({ onError }).onError()).toBe(onError);
    rejection(() => read({ onError: 'log' }).onError());
  });
});

describe('reportBackgroundFailure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hands the error to onError, and turns a throwing onError into a warning', () => {
    const failure = new KVError({ code: 'PURGE_FAILED', backend: 'test' });
    const seen: KVError[] = [];
    reportBackgroundFailure((error) => seen.push(error), failure, 'test purge');
    expect(seen).toEqual([failure]);

    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(() =>
      reportBackgroundFailure(
        () => {
          throw new Error('boom');
        },
        failure,
        'test purge',
      ),
    ).not.toThrow();
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0]?.[0])).toContain('test purge onError threw: Error: boom');
  });
});

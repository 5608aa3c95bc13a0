import { isKVError, type KVBackend, KVError, type KVErrorCode } from '@strongbox/core';
import { expect } from 'vitest';

const OPERATIONS = ['get', 'set', 'checkAndSet', 'checkAndDelete', 'delete', 'increment'] as const;

/**
 * `kv` with a log of the data operations called on it (to prove "before any I/O"); `args[i]`
 * holds the arguments of `calls[i]`.
 */
export function recording(kv: KVBackend): { kv: KVBackend; calls: string[]; args: unknown[][] } {
  const calls: string[] = [];
  const args: unknown[][] = [];
  const proxy = new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...given: unknown[]) => {
        if ((OPERATIONS as readonly (string | symbol)[]).includes(property)) {
          calls.push(String(property));
          args.push(given);
        }
        return value.apply(target, given);
      };
    },
  });
  return { kv: proxy, calls, args };
}

/** `kv` whose data operations reject with the error `makeError` builds while `failing()` is true. */
export function failingWhen(
  kv: KVBackend,
  failing: () => boolean,
  makeError: (op: string) => KVError,
): KVBackend {
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if ((OPERATIONS as readonly (string | symbol)[]).includes(property) && failing()) {
          return Promise.reject(makeError(String(property)));
        }
        return value.apply(target, args);
      };
    },
  });
}

/** An error like the one a networked backend gives when its server is gone. */
export function unhealthy(op: string): KVError {
  return new KVError({
    code: 'TIMEOUT',
    backend: 'fake',
    unhealthy: true,
    indeterminate: op !== 'get',
  });
}

export async function expectKVError(
  promise: Promise<unknown>,
  code: KVErrorCode,
): Promise<KVError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isKVError(error), String(error)).toBe(true);
  expect((error as KVError).code).toBe(code);
  return error as KVError;
}

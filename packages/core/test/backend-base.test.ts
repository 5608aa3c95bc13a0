import { describe, expect, it } from 'vitest';
import type { OperationOptions } from '../src/backend.js';
import { KVBackendBase } from '../src/backend-base.js';
import type { CallContext } from '../src/call-context.js';
import { isKVError, type KVError } from '../src/errors.js';
import { readOptions } from '../src/read-options.js';
import { checkOperationOptions, type Expiry } from '../src/validation.js';

/** A backend whose every operation is answered by the test through `respond`. */
class ScriptedBackend extends KVBackendBase {
  calls: string[] = [];
  respond: () => Promise<unknown> = () => Promise.resolve(null);
  closeCount = 0;
  closeThrowsSynchronously = false;

  constructor(
    options: { operationTimeout?: number; redactKeys?: boolean; secrets?: string[] } = {},
  ) {
    super({ name: 'scripted', ...options });
  }
  protected doGet(key: string) {
    this.calls.push(`get ${key}`);
    return this.respond() as Promise<string | null>;
  }
  protected doSet(key: string, _value: string, expiry: Expiry) {
    this.calls.push(`set ${key} ${expiry}`);
    return this.respond() as Promise<void>;
  }
  protected doCheckAndSet(key: string, _e: string | null, _n: string, expiry: Expiry) {
    this.calls.push(`cas ${key} ${expiry}`);
    return this.respond() as Promise<boolean>;
  }
  protected doCheckAndDelete(key: string) {
    this.calls.push(`cad ${key}`);
    return this.respond() as Promise<boolean>;
  }
  protected doDelete(key: string) {
    this.calls.push(`delete ${key}`);
    return this.respond() as Promise<boolean>;
  }
  protected doPing() {
    this.calls.push('ping');
    return this.respond() as Promise<void>;
  }
  protected doClose() {
    this.closeCount += 1;
    if (this.closeThrowsSynchronously) throw new Error('release failed');
    return Promise.resolve();
  }

  /** An adapter-specific operation: checked as the contract says, then routed through `run`. */
  purge(given?: OperationOptions): Promise<unknown> {
    const { options, problem: unreadable } = readOptions(given);
    const problem = unreadable ?? checkOperationOptions(options);
    const rejected = this.rejectionBeforeIO('purge', undefined, options, problem);
    if (rejected !== undefined) return Promise.reject(rejected);
    return this.run('purge', undefined, options, () => {
      this.calls.push('purge');
      return this.respond();
    });
  }
}

async function rejection(promise: Promise<unknown>): Promise<KVError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKVError(error)) throw new Error(`expected a KVError, got ${String(error)}`);
  return error;
}

describe('KVBackendBase', () => {
  it('passes normalized expiries to the adapter', async () => {
    const backend = new ScriptedBackend();
    await backend.set('a', 'v');
    await backend.set('b', 'v', { ttl: 20 });
    await backend.checkAndSet('c', null, 'v', { keepTtl: true });
    expect(backend.calls).toEqual(['set a 0', 'set b 20', 'cas c keep']);
  });

  it('applies precedence CLOSED > INVALID_* in argument order > ABORTED, with no adapter call', async () => {
    const backend = new ScriptedBackend();
    const aborted = AbortSignal.abort();
    expect((await rejection(backend.set('', 1 as never, { ttl: -1, signal: aborted }))).code).toBe(
      'INVALID_KEY',
    );
    expect((await rejection(backend.set('k', 1 as never, { ttl: -1, signal: aborted }))).code).toBe(
      'INVALID_VALUE',
    );
    expect((await rejection(backend.set('k', 'v', { ttl: -1, signal: aborted }))).code).toBe(
      'INVALID_TTL',
    );
    expect((await rejection(backend.checkAndSet('k', 'x', 5 as never))).code).toBe('INVALID_VALUE');
    expect((await rejection(backend.set('k', 'v', { signal: aborted }))).code).toBe('ABORTED');
    await backend.close();
    expect((await rejection(backend.set('', 1 as never, { signal: aborted }))).code).toBe('CLOSED');
    expect(backend.calls).toEqual([]);
  });

  it('rejects with TIMEOUT when the deadline passes, indeterminate for writes only', async () => {
    const backend = new ScriptedBackend({ operationTimeout: 20 });
    backend.respond = () => new Promise(() => {});
    const write = await rejection(backend.set('k', 'v'));
    expect(write).toMatchObject({
      code: 'TIMEOUT',
      op: 'set',
      unhealthy: true,
      indeterminate: true,
    });
    const read = await rejection(backend.get('k', { timeout: 10 }));
    expect(read).toMatchObject({
      code: 'TIMEOUT',
      op: 'get',
      unhealthy: true,
      indeterminate: false,
    });
  });

  it('rejects at once with ABORTED when the signal aborts in flight', async () => {
    const backend = new ScriptedBackend();
    backend.respond = () => new Promise(() => {});
    const controller = new AbortController();
    const pending = rejection(backend.delete('k', { signal: controller.signal }));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'ABORTED', unhealthy: false, indeterminate: true });
  });

  it('wraps driver errors: op code, classification, sanitized cause, redacted key', async () => {
    const backend = new ScriptedBackend({ redactKeys: true, secrets: ['hunter2'] });
    backend.respond = () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED hunter2'), {
          code: 'ECONNREFUSED',
          args: ['hunter2'],
        }),
      );
    const error = await rejection(backend.checkAndSet('secret-key', null, 'v'));
    expect(error).toMatchObject({
      code: 'CHECK_AND_SET_FAILED',
      unhealthy: true,
      indeterminate: true,
    });
    expect(error).not.toHaveProperty('key');
    expect(
      JSON.stringify(error) + String(error.stack) + String((error.cause as Error).message),
    ).not.toContain('hunter2');
    expect(error.cause).not.toHaveProperty('args');

    backend.respond = () => Promise.reject(new Error('syntax error'));
    expect(await rejection(backend.get('k'))).toMatchObject({
      code: 'GET_FAILED',
      unhealthy: false,
      indeterminate: false,
    });
  });

  it('closes once; later closes resolve and every operation rejects CLOSED', async () => {
    const backend = new ScriptedBackend();
    await Promise.all([backend.close(), backend.close()]);
    await backend[Symbol.asyncDispose]();
    expect(backend.closeCount).toBe(1);
    for (const call of [backend.get('k'), backend.ping(), backend.checkAndDelete('k', 'v')]) {
      expect((await rejection(call)).code).toBe('CLOSED');
    }
  });

  it('runs no adapter-specific work for an already-aborted signal or a closed backend', async () => {
    const backend = new ScriptedBackend();
    const aborted = await rejection(backend.purge({ signal: AbortSignal.abort() }));
    expect(aborted).toMatchObject({ code: 'ABORTED', op: 'purge', indeterminate: false });
    await backend.close();
    expect((await rejection(backend.purge())).code).toBe('CLOSED');
    expect(backend.calls).toEqual([]);
  });

  it('closes once even when releasing throws synchronously, reporting CLOSE_FAILED once', async () => {
    const backend = new ScriptedBackend();
    backend.closeThrowsSynchronously = true;
    expect((await rejection(backend.close())).code).toBe('CLOSE_FAILED');
    await backend.close();
    expect(backend.closeCount).toBe(1);
    expect((await rejection(backend.get('k'))).code).toBe('CLOSED');
  });

  it('rejects an operationTimeout that Node timers cannot hold with INVALID_CONFIG', () => {
    for (const operationTimeout of [0, -5, Number.NaN, 2 ** 31]) {
      expect(() => new ScriptedBackend({ operationTimeout }), String(operationTimeout)).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
    }
    expect(() => new ScriptedBackend({ operationTimeout: 2 ** 31 - 1 })).not.toThrow();
  });

  it('routes every built-in operation through run(), the seam subclasses override', async () => {
    const seen: string[] = [];
    class Observed extends ScriptedBackend {
      protected override run<T>(
        op: Parameters<KVBackendBase['run']>[0],
        key: string | undefined,
        options: OperationOptions | undefined,
        work: (call: CallContext) => Promise<T>,
      ): Promise<T> {
        seen.push(op);
        return super.run(op, key, options, work);
      }
    }
    const backend = new Observed();
    backend.respond = () => Promise.resolve(true);
    await backend.get('k');
    await backend.set('k', 'v');
    await backend.checkAndSet('k', null, 'v');
    await backend.checkAndDelete('k', 'v');
    await backend.delete('k');
    await backend.ping();
    expect(seen).toEqual(['get', 'set', 'checkAndSet', 'checkAndDelete', 'delete', 'ping']);
  });

  it('options that throw when read give a rejected INVALID_CONFIG (CLOSED once closed), never a synchronous throw, and are read once', async () => {
    const throwingGetter = () =>
      Object.defineProperty({}, 'timeout', {
        get() {
          throw new Error('getter exploded');
        },
        enumerable: true,
      });
    const revoked = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    const revokedSignal = () => ({ signal: revoked() });
    const backend = new ScriptedBackend();
    backend.respond = () => Promise.resolve(true);
    const calls = (options: () => object) => [
      () => backend.get('k', options()),
      () => backend.set('k', 'v', options()),
      () => backend.checkAndSet('k', null, 'v', options()),
      () => backend.checkAndDelete('k', 'v', options()),
      () => backend.delete('k', options()),
      () => backend.increment('k', 1, options()),
      () => backend.ping(options()),
      () => backend.purge(options()),
    ];
    for (const options of [throwingGetter, revoked, revokedSignal]) {
      for (const call of calls(options)) {
        let pending: Promise<unknown> | undefined;
        expect(() => {
          pending = call();
        }).not.toThrow();
        const error = await rejection(pending as Promise<unknown>);
        expect(error.code).toBe('INVALID_CONFIG');
        expect(error.message).not.toContain('getter exploded');
      }
    }
    // A getter that answers differently on each read is read once: valid, then what it says.
    let reads = 0;
    const fickle = {
      get ttl() {
        reads += 1;
        return reads === 1 ? 50 : -1;
      },
    };
    await backend.set('k', 'v', fickle);
    expect(reads).toBe(1);
    expect(backend.calls.at(-1)).toBe('set k 50');
    expect(backend.calls.filter((call) => call.startsWith('set'))).toEqual(['set k 50']);
    await backend.close();
    for (const options of [throwingGetter, revoked]) {
      for (const call of calls(options)) {
        let pending: Promise<unknown> | undefined;
        expect(() => {
          pending = call();
        }).not.toThrow();
        expect((await rejection(pending as Promise<unknown>)).code).toBe('CLOSED');
      }
    }
  });
});

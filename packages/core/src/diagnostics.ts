import type { KVOperation } from './backend.js';
import type { KVErrorCode } from './error-codes.js';
import { isKVError } from './errors.js';

/**
 * What each operation publishes on its tracing channel `strongbox:<op>` (Node's
 * `diagnostics_channel.tracingChannel`, `tracePromise` semantics: `start`, `end` when the call
 * returned its promise, then `asyncStart`/`asyncEnd` when it settled, with `error` before them
 * when it rejected). The same object is passed to every event of one call.
 */
export interface OperationTraceContext {
  /** The adapter's name (`KVError.backend`). */
  readonly backend: string;
  /** The operation. */
  readonly op: KVOperation;
  /** The key; absent for `ping` and when the backend redacts keys. */
  readonly key?: string | undefined;
  /**
   * For `increment`: how many calls this one request carries (1 for a call sent alone, more
   * for a combined batch).
   */
  readonly batchSize?: number | undefined;
  /** The resolved value, set before `asyncStart` (the channel's own field). */
  result?: unknown;
  /** The rejection, set before `error` (the channel's own field). */
  error?: unknown;
  /** The `KVError` code of the rejection, set before `error`. */
  errorCode?: KVErrorCode | undefined;
}

/**
 * Published on the plain channel {@link UPDATE_CONFLICT_CHANNEL} each time an `update` batch's
 * commit finds the value changed since its read (a stale remembered value does not count).
 */
export interface UpdateConflictMessage {
  /** The backend's name. */
  readonly backend: string;
  /** How many `update` calls the conflicting commit carried. */
  readonly calls: number;
}

/** The channel of {@link UpdateConflictMessage}s. */
export const UPDATE_CONFLICT_CHANNEL = 'strongbox:update:conflict';

/** The part of Node's `TracingChannel` core uses. */
interface TracingChannel {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: object): Promise<T>;
}

interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

interface DiagnosticsChannelModule {
  tracingChannel(name: string): TracingChannel;
  channel(name: string): Channel;
}

/** The name prefix of every channel: `tracingChannel('strongbox:get')` and so on. */
export const TRACING_CHANNEL_PREFIX = 'strongbox:';

let diagnostics: DiagnosticsChannelModule | null | undefined;
/** Each operation's channel once looked up (null: no diagnostics module). A fixed-shape object,
 * not a Map: this lookup runs on every call. */
const channels: Record<KVOperation, TracingChannel | null | undefined> = {
  get: undefined,
  set: undefined,
  checkAndSet: undefined,
  checkAndDelete: undefined,
  delete: undefined,
  increment: undefined,
  update: undefined,
  ping: undefined,
  connect: undefined,
  purge: undefined,
  close: undefined,
};

/**
 * The tracing channel of `op`, or null where `node:diagnostics_channel` is missing. Loaded on
 * first use with `process.getBuiltinModule`: a static import or top-level await would break
 * `require()` of core and runtimes without the module.
 */
function operationChannel(op: KVOperation): TracingChannel | null {
  let channel = cachedChannel(op);
  if (channel === undefined) {
    const traced = loadDiagnostics()?.tracingChannel(`${TRACING_CHANNEL_PREFIX}${op}`);
    channel = traced === undefined ? null : withHasSubscribers(traced);
    channels[op] = channel;
  }
  return channel;
}

/**
 * `channels[op]` by named reads: a keyed read with a key that varies from call to call goes
 * through V8's megamorphic path and was most of the no-subscriber cost (callgrind, memory get
 * at c64: +7.8 % instructions per call with the keyed read, +1 % with a named one).
 */
function cachedChannel(op: KVOperation): TracingChannel | null | undefined {
  switch (op) {
    case 'get':
      return channels.get;
    case 'set':
      return channels.set;
    case 'checkAndSet':
      return channels.checkAndSet;
    case 'checkAndDelete':
      return channels.checkAndDelete;
    case 'delete':
      return channels.delete;
    case 'increment':
      return channels.increment;
    case 'update':
      return channels.update;
    case 'ping':
      return channels.ping;
    case 'connect':
      return channels.connect;
    case 'purge':
      return channels.purge;
    case 'close':
      return channels.close;
  }
}

/** Whether anyone listens to `op`'s channel: checked before any context is built. */
export function isObserved(op: KVOperation): boolean {
  const channel = operationChannel(op);
  return channel?.hasSubscribers === true;
}

/** The five channels of a `TracingChannel`. */
const TRACING_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

/**
 * `channel`, with a `hasSubscribers` that works on every runtime: Bun's `TracingChannel` lacks
 * it (undefined, so nothing was ever traced there); its five channels have it.
 */
function withHasSubscribers(channel: TracingChannel): TracingChannel {
  if (typeof channel.hasSubscribers === 'boolean') return channel;
  const events = TRACING_EVENTS.map(
    (event) => (channel as unknown as Record<string, Partial<Channel> | undefined>)[event],
  );
  return {
    get hasSubscribers() {
      return events.some((event) => event?.hasSubscribers === true);
    },
    tracePromise: (fn, context) => channel.tracePromise(fn, context),
  };
}

let updateConflicts: Channel | null | undefined;

/** Report a conflicting `update` commit, if anyone listens. */
export function publishUpdateConflict(backend: string, calls: number): void {
  if (updateConflicts === undefined) {
    updateConflicts = loadDiagnostics()?.channel(UPDATE_CONFLICT_CHANNEL) ?? null;
  }
  if (updateConflicts?.hasSubscribers) {
    updateConflicts.publish({ backend, calls } satisfies UpdateConflictMessage);
  }
}

/** Run `work` as one traced operation of `op`, adding the error code on a rejection. */
export function traceOperation<T>(
  op: KVOperation,
  context: OperationTraceContext,
  work: () => Promise<T>,
): Promise<T> {
  const channel = operationChannel(op);
  if (channel === null) return work();
  return channel.tracePromise(
    () =>
      work().catch((error: unknown) => {
        if (isKVError(error)) context.errorCode = error.code;
        throw error;
      }),
    context,
  );
}

/** Runs a function in an async context captured earlier. */
export type RunInContext = <R>(fn: () => R) => R;

interface AsyncHooksModule {
  AsyncLocalStorage: { snapshot(): RunInContext };
}

let asyncHooks: AsyncHooksModule | null | undefined;

/**
 * The caller's async context, so that work started later on its behalf (a combined batch's
 * request) is traced under the caller's span; undefined without a subscriber to `op`'s channel
 * or without `node:async_hooks`, so it costs nothing then.
 */
export function captureAsyncContext(op: KVOperation): RunInContext | undefined {
  if (!isObserved(op)) return undefined;
  if (asyncHooks === undefined) {
    const module = builtinModule('node:async_hooks') as Partial<AsyncHooksModule> | undefined;
    asyncHooks =
      typeof module?.AsyncLocalStorage?.snapshot === 'function'
        ? (module as AsyncHooksModule)
        : null;
  }
  return asyncHooks?.AsyncLocalStorage.snapshot();
}

function loadDiagnostics(): DiagnosticsChannelModule | null {
  if (diagnostics === undefined) {
    const module = builtinModule('node:diagnostics_channel') as
      | Partial<DiagnosticsChannelModule>
      | undefined;
    diagnostics =
      typeof module?.tracingChannel === 'function' && typeof module.channel === 'function'
        ? (module as DiagnosticsChannelModule)
        : null;
  }
  return diagnostics;
}

/** A Node built-in module where the runtime offers `process.getBuiltinModule`, else undefined. */
function builtinModule(id: string): unknown {
  try {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    return process?.getBuiltinModule?.(id);
  } catch {
    return undefined;
  }
}

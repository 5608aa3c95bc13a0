import type { KVBackend, WriteOptions } from './backend.js';
import type { Interruption } from './deadline.js';
import { publishUpdateConflict } from './diagnostics.js';
import { KVError } from './errors.js';
import { timersAndListeners } from './update-interruptions.js';
import { runStep, type StepOutcome } from './update-step.js';
import type { Expiry } from './validation.js';

/** One pending `update` call. */
export interface UpdateMember {
  readonly step: (current: string | null) => unknown;
  readonly maxAttempts: number;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Failed commits from a fresh read that carried this call's step. */
  conflicts: number;
  /**
   * `waiting` for its batch, `batched` in a batch whose commit is not in flight,
   * `committing` while a commit carrying its step is in flight, `done` once settled.
   */
  state: 'waiting' | 'batched' | 'committing' | 'done';
  /** The batch it belongs to, to cancel the batch's requests when every member has left. */
  batch: Batch | undefined;
  outcome: StepOutcome | undefined;
  /** Drops its timer and abort listener. */
  release: () => void;
  /** It has a signal or a deadline, so it may leave before its batch is done. */
  canLeave: boolean;
}

interface Batch {
  readonly members: readonly UpdateMember[];
  /**
   * Cancels the batch's requests once every member has left; only made when a member can
   * leave (an AbortController is costly enough to show on the path every call takes).
   */
  readonly controller: AbortController | undefined;
}

/** The calls of one key: those waiting for the next batch, and what the last batch left. */
interface KeyState {
  readonly waiting: UpdateMember[];
  /** The value the last batch committed or read: a hint that saves a read, never trusted for results. */
  remembered: { value: string | null } | undefined;
}

/** Per backend object, per key; a key's entry exists only while it has a pending call. */
const pending = new WeakMap<KVBackend, Map<string, KeyState>>();

/**
 * Add a validated call to its key's next batch. The first call of an idle key starts the
 * key's batches one microtask later, so calls made in the same synchronous run share the batch.
 */
export function enqueue(
  kv: KVBackend,
  key: string,
  member: Omit<UpdateMember, 'release' | 'canLeave'>,
  options: { signal?: AbortSignal; timeout?: number } | undefined,
): void {
  let keys = pending.get(kv);
  if (keys === undefined) {
    keys = new Map();
    pending.set(kv, keys);
  }
  let state = keys.get(key);
  if (state === undefined) {
    const created: KeyState = { waiting: [], remembered: undefined };
    state = created;
    keys.set(key, created);
    const backendKeys = keys;
    queueMicrotask(() => void drain(kv, key, created, backendKeys));
  }
  const full = member as UpdateMember;
  full.release = timersAndListeners(options, (reason) => leave(kv, state, full, reason));
  full.canLeave = options?.signal !== undefined || options?.timeout !== undefined;
  state.waiting.push(full);
}

/** Run batches until no call waits, then forget the key. */
async function drain(
  kv: KVBackend,
  key: string,
  state: KeyState,
  keys: Map<string, KeyState>,
): Promise<void> {
  while (state.waiting.length > 0) {
    await runBatch(kv, key, state, state.waiting.splice(0));
  }
  keys.delete(key);
  if (keys.size === 0) pending.delete(kv);
}

/**
 * Read (unless a remembered value stands in), run every present member's step in call order
 * on that value, and commit the last `next` with one checkAndSet; re-read and re-run on a
 * conflict. Settles every member; never rejects.
 */
async function runBatch(
  kv: KVBackend,
  key: string,
  state: KeyState,
  members: UpdateMember[],
): Promise<void> {
  const controller = members.some((member) => member.canLeave) ? new AbortController() : undefined;
  const batch: Batch = { members, controller };
  for (const member of members) {
    member.state = 'batched';
    member.batch = batch;
  }
  const io = controller === undefined ? undefined : { signal: controller.signal };
  try {
    for (;;) {
      // Every member may have given up (CONFLICT) or left: then nothing is left to read for.
      if (members.every((member) => member.state === 'done')) return;
      const remembered = state.remembered;
      const current = remembered === undefined ? await kv.get(key, io) : remembered.value;
      const present = members.filter((member) => member.state !== 'done');
      if (present.length === 0) return;
      const commit = runSteps(present, current, kv.name);
      if (commit === undefined) {
        // Nothing to write: the answers need a read issued after every member was called.
        if (remembered !== undefined) {
          state.remembered = undefined;
          continue;
        }
        state.remembered = { value: current };
        deliver(present);
        return;
      }
      for (const member of present) member.state = 'committing';
      const committed = await kv.checkAndSet(key, current, commit.next, writeOptions(commit, io));
      if (committed) {
        state.remembered = { value: commit.next };
        deliver(present);
        return;
      }
      state.remembered = undefined;
      if (remembered === undefined) publishUpdateConflict(kv.name, present.length);
      for (const member of present) {
        if (member.state !== 'committing') continue;
        member.state = 'batched';
        // A stale memory is not a conflict: only a value the backend just gave counts.
        if (remembered === undefined && ++member.conflicts >= member.maxAttempts) {
          settle(member)?.reject(conflict(kv.name, member.maxAttempts));
        }
      }
    }
  } catch (error) {
    state.remembered = undefined;
    for (const member of members) settle(member)?.reject(error);
  }
}

/** The commit a batch's steps imply, or undefined when none writes. */
interface Commit {
  readonly next: string;
  readonly expiry: Expiry;
}

/**
 * Run the steps in call order, each on the previous writing step's `next`. The commit's
 * expiry is the last writing step's, where a `keepTtl` step keeps the one before it (and an
 * all-`keepTtl` sequence keeps the stored expiry).
 */
function runSteps(
  members: readonly UpdateMember[],
  current: string | null,
  backend: string,
): Commit | undefined {
  let value = current;
  let commit: Commit | undefined;
  for (const member of members) {
    const outcome = runStep(member.step, value, backend);
    member.outcome = outcome;
    if (outcome.kind !== 'write') continue;
    value = outcome.next;
    const expiry = outcome.expiry === 'keep' ? (commit?.expiry ?? 'keep') : outcome.expiry;
    commit = { next: outcome.next, expiry };
  }
  return commit;
}

function writeOptions(
  commit: Commit,
  io: { signal: AbortSignal } | undefined,
): WriteOptions | undefined {
  if (commit.expiry === 'keep') return { ...io, keepTtl: true };
  return commit.expiry === 0 ? io : { ...io, ttl: commit.expiry };
}

/** Hand every member still present its step's result or error. */
function deliver(members: readonly UpdateMember[]): void {
  for (const member of members) {
    const outcome = member.outcome;
    const settled = settle(member);
    if (settled === undefined || outcome === undefined) continue;
    if (outcome.kind === 'error') settled.reject(outcome.error);
    else settled.resolve(outcome.result);
  }
}

/**
 * A member's signal or deadline fired: it leaves. Nothing of it was sent unless a commit
 * carrying its step's write is in flight, which makes it indeterminate. When every member of
 * a batch has left, the batch's request in flight is cancelled.
 */
function leave(kv: KVBackend, state: KeyState, member: UpdateMember, reason: Interruption): void {
  const { state: where, batch } = member;
  if (where === 'done') return;
  if (where === 'waiting') {
    const index = state.waiting.indexOf(member);
    if (index >= 0) state.waiting.splice(index, 1);
  }
  settle(member)?.reject(
    new KVError({
      code: reason,
      backend: kv.name,
      op: 'update',
      unhealthy: reason === 'TIMEOUT',
      // Only a write of its own may still land: a step that read or failed wrote nothing.
      indeterminate: where === 'committing' && member.outcome?.kind === 'write',
      detail: reason === 'TIMEOUT' ? 'the deadline passed' : 'the caller aborted the call',
    }),
  );
  if (batch?.members.every((other) => other.state === 'done')) {
    batch.controller?.abort();
  }
}

/** Mark `member` settled and release its timer and listener; undefined if it already was. */
function settle(member: UpdateMember): UpdateMember | undefined {
  if (member.state === 'done') return undefined;
  member.state = 'done';
  member.release();
  return member;
}

function conflict(backend: string, maxAttempts: number): KVError {
  return new KVError({
    code: 'CONFLICT',
    backend,
    op: 'update',
    detail: `${maxAttempts} commits in a row met a concurrent write`,
  });
}

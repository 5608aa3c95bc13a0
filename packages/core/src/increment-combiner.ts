import type { Counter, OperationOptions } from './backend.js';
import type { Interruption } from './deadline.js';
import { captureAsyncContext, type RunInContext } from './diagnostics.js';
import { isKVError, type KVError } from './errors.js';

/** Sends one increment request (a lone call or a batch's summed delta) to the backend. */
export type SendIncrement = (
  key: string,
  delta: number,
  ttl: number,
  options: OperationOptions | undefined,
  /** How many calls the request carries (for diagnostics). */
  batchSize: number,
) => Promise<Counter>;

/** How the combiner builds the errors of calls that leave or are closed while they wait. */
export interface CombinerErrors {
  /** A caller's signal or deadline fired; `sent` says whether its delta was already sent. */
  interrupted(key: string, reason: Interruption, sent: boolean): KVError;
  /** The backend closed before the call was sent. */
  closed(key: string): KVError;
}

/** One waiting `increment` call. */
interface Member {
  readonly delta: number;
  readonly ttl: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (counter: Counter) => void;
  readonly reject: (error: unknown) => void;
  /** Absolute deadline on `performance.now()`, or Infinity. */
  readonly deadline: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  onAbort: (() => void) | undefined;
  /** 'waiting' in the queue, 'sent' in a request, 'done' once it settled or left. */
  state: 'waiting' | 'sent' | 'done';
  /** The request carrying it, to tell when every member has left. */
  batch: Batch | undefined;
  /** Re-queued after its combined request overflowed: it goes out alone. */
  alone: boolean;
  /** Its caller's async context, kept only for a diagnostics subscriber (its batch's span parent). */
  readonly context: RunInContext | undefined;
}

interface Batch {
  readonly members: Member[];
  /** Members still waiting for the answer; at 0 the request is cancelled. */
  present: number;
  /**
   * Cancels the request once every member has left; made only when a member can leave (has a
   * signal or a deadline): an AbortController per request shows on the path every call takes.
   */
  readonly controller: AbortController | undefined;
}

/**
 * A key's entry while a request of it is in flight and no call waits: the common, uncontended
 * case then allocates no queue.
 */
const NONE_WAITING: readonly Member[] = Object.freeze([]);

/**
 * Combines concurrent `increment` calls on one key (see DESIGN.md, "Combining"): the first
 * call goes out at once, alone; calls made while it is in flight wait, and when it settles
 * the waiting calls go out as one increment of their summed delta. Each member receives its
 * prefix sum of the combined result, as if the calls had run one at a time in call order
 * at the combined request's moment, which lies between every member's call and answer.
 */
export class IncrementCombiner {
  /** The calls of each key with a request in flight that wait behind it (in call order). */
  readonly #keys = new Map<string, Member[] | typeof NONE_WAITING>();
  readonly #send: SendIncrement;
  readonly #errors: CombinerErrors;
  readonly #defaultTimeout: number | undefined;
  #closed = false;

  constructor(send: SendIncrement, errors: CombinerErrors, defaultTimeout: number | undefined) {
    this.#send = send;
    this.#errors = errors;
    this.#defaultTimeout = defaultTimeout;
  }

  /** An increment of validated arguments, combined with concurrent ones of the same key. */
  increment(
    key: string,
    delta: number,
    ttl: number,
    options: OperationOptions | undefined,
  ): Promise<Counter> {
    const queued = this.#keys.get(key);
    if (queued === undefined) {
      // No contention: send at once under the caller's own options, adding nothing.
      this.#keys.set(key, NONE_WAITING);
      let sent: Promise<Counter>;
      try {
        sent = this.#send(key, delta, ttl, options, 1);
      } catch (error) {
        // A subclass's run() that throws must not leave the key's queue without a request.
        sent = Promise.reject(error);
      }
      const next = () => this.#sendNext(key);
      sent.then(next, next);
      return sent;
    }
    return new Promise<Counter>((resolve, reject) => {
      const timeout = options?.timeout ?? this.#defaultTimeout;
      const member: Member = {
        delta,
        ttl,
        signal: options?.signal,
        resolve,
        reject,
        deadline: timeout === undefined ? Infinity : performance.now() + timeout,
        timer: undefined,
        onAbort: undefined,
        state: 'waiting',
        batch: undefined,
        alone: false,
        context: captureAsyncContext('increment'),
      };
      if (timeout !== undefined) {
        // Not unref'd, like a sent call's deadline: it keeps the process alive until the call
        // has its outcome, even behind a request whose driver holds nothing that would.
        member.timer = setTimeout(() => this.#leave(key, member, 'TIMEOUT'), timeout);
      }
      if (member.signal !== undefined) {
        member.onAbort = () => this.#leave(key, member, 'ABORTED');
        member.signal.addEventListener('abort', member.onAbort, { once: true });
      }
      this.#waiting(key).push(member);
    });
  }

  /** Reject every call not yet sent with CLOSED (determinate: nothing of theirs was sent). */
  close(): void {
    this.#closed = true;
    for (const [key, waiting] of this.#keys) {
      this.#keys.set(key, NONE_WAITING);
      for (const member of waiting) this.#settle(member)?.reject(this.#errors.closed(key));
    }
  }

  /** The calls waiting behind `key`'s request in flight, as an array that may grow. */
  #waiting(key: string): Member[] {
    const queued = this.#keys.get(key);
    if (queued !== undefined && queued !== NONE_WAITING) return queued as Member[];
    const waiting: Member[] = [];
    this.#keys.set(key, waiting);
    return waiting;
  }

  /** Send the next batch of `key`'s waiting calls, or forget the key when nobody waits. */
  #sendNext(key: string): void {
    const waiting = this.#keys.get(key);
    if (waiting === undefined || waiting.length === 0) {
      this.#keys.delete(key);
      return;
    }
    const members = takeBatch(waiting as Member[]);
    const next = () => this.#sendNext(key);
    this.#sendBatch(key, members).then(next, next);
  }

  /** Send `members` as one request and deliver each its share; resolves once it is answered. */
  async #sendBatch(key: string, members: Member[]): Promise<void> {
    let delta = 0;
    let deadline = 0;
    let canLeave = false;
    for (const member of members) {
      delta += member.delta;
      deadline = Math.max(deadline, member.deadline);
      canLeave ||= member.signal !== undefined || member.deadline !== Infinity;
    }
    const controller = canLeave ? new AbortController() : undefined;
    const batch: Batch = { members, present: members.length, controller };
    for (const member of members) {
      member.state = 'sent';
      member.batch = batch;
    }
    const ttl = (members[0] as Member).ttl;
    let options: OperationOptions | undefined;
    if (controller !== undefined) {
      options = { signal: controller.signal };
      if (deadline !== Infinity) options.timeout = Math.max(1, deadline - performance.now());
    }
    let counter: Counter;
    try {
      const send = () => this.#send(key, delta, ttl, options, members.length);
      // A batch's request runs in its first member's async context (its trace parent).
      const first = (members[0] as Member).context;
      counter = await (first === undefined ? send() : first(send));
    } catch (error) {
      if (members.length > 1 && isKVError(error, 'COUNTER_OVERFLOW')) {
        // Nothing was written and some prefix may still fit: the members still present go
        // back to the front of the queue, to be sent one at a time in call order. Until then
        // they wait like any other call (leaving or closing is determinate again).
        this.#requeueAlone(key, members);
        return;
      }
      for (const member of members) this.#settle(member)?.reject(error);
      return;
    }
    // Members are in call order: each sees the total minus the deltas after its own.
    let after = delta;
    for (const member of members) {
      after -= member.delta;
      this.#settle(member)?.resolve({ value: counter.value - after, ttl: counter.ttl });
    }
  }

  /** Put the members of an overflowed batch that are still present back at the queue's front. */
  #requeueAlone(key: string, members: Member[]): void {
    const present = members.filter((member) => member.state === 'sent');
    for (const member of present) {
      member.state = 'waiting';
      member.batch = undefined;
      member.alone = true;
      if (this.#closed) this.#settle(member)?.reject(this.#errors.closed(key));
    }
    if (!this.#closed && present.length > 0) this.#waiting(key).unshift(...present);
  }

  /** A member's signal or deadline fired: it leaves its queue, or its request. */
  #leave(key: string, member: Member, reason: Interruption): void {
    const { state, batch } = member;
    if (state === 'done') return;
    if (state === 'waiting') {
      const waiting = this.#keys.get(key) as Member[] | undefined;
      const index = waiting?.indexOf(member) ?? -1;
      if (index >= 0) waiting?.splice(index, 1);
    }
    this.#settle(member)?.reject(this.#errors.interrupted(key, reason, state === 'sent'));
    // The request stops only when nobody waits for it any more; its deltas count either way.
    if (batch !== undefined && --batch.present === 0) batch.controller?.abort();
  }

  /** Mark `member` settled and drop its timer and listener; undefined if it already was. */
  #settle(member: Member): Member | undefined {
    if (member.state === 'done') return undefined;
    member.state = 'done';
    if (member.timer !== undefined) clearTimeout(member.timer);
    if (member.onAbort !== undefined) member.signal?.removeEventListener('abort', member.onAbort);
    return member;
  }
}

/**
 * Take the next batch off the front of `waiting`: calls with the first call's ttl whose
 * deltas share one sign (0 fits either) and whose running sum stays a safe integer; a call
 * re-queued after an overflow goes alone. `waiting` is not empty.
 */
function takeBatch(waiting: Member[]): Member[] {
  const first = waiting[0] as Member;
  if (first.alone) return waiting.splice(0, 1);
  let sum = 0;
  let sign = 0;
  let count = 0;
  for (const member of waiting) {
    const memberSign = Math.sign(member.delta);
    if (member.alone || member.ttl !== first.ttl) break;
    if (memberSign !== 0 && sign !== 0 && memberSign !== sign) break;
    if (!Number.isSafeInteger(sum + member.delta)) break;
    sum += member.delta;
    if (memberSign !== 0) sign = memberSign;
    count++;
  }
  return waiting.splice(0, count);
}

import type { FailoverState } from './options.js';

/** What the breaker needs to know about its surroundings. */
export interface CircuitBreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
  /** Ask the primary whether it serves again; resolves true when it does. Never rejects. */
  probe: () => Promise<boolean>;
  onStateChange: ((state: FailoverState, previous: FailoverState) => void) | undefined;
  /** Monotonic ms. */
  now: () => number;
}

/**
 * Decides which side serves each call. Closed ('primary'): calls go to the primary and
 * `failureThreshold` consecutive counted failures open it. Open ('fallback'): calls go to the
 * fallback; the first call after `cooldownMs` starts one probe ('probing', still the fallback)
 * whose success closes the breaker and whose failure restarts the cooldown. No timers: time is
 * only looked at when a call arrives.
 */
export class CircuitBreaker {
  readonly #settings: CircuitBreakerSettings;
  #state: FailoverState = 'primary';
  #consecutiveFailures = 0;
  #openedAt = 0;
  #stopped = false;

  constructor(settings: CircuitBreakerSettings) {
    this.#settings = settings;
  }

  get state(): FailoverState {
    return this.#state;
  }

  /** True when the next call should go to the primary; may start a probe (never two at once). */
  routeToPrimary(): boolean {
    if (this.#state === 'primary') return true;
    if (
      this.#state === 'fallback' &&
      this.#settings.now() - this.#openedAt >= this.#settings.cooldownMs
    ) {
      this.#startProbe();
    }
    return false;
  }

  /** The primary failed a call with an error that says it is unhealthy. */
  primaryFailed(): void {
    // Answers of calls sent before the breaker opened no longer matter: only a probe closes it.
    if (this.#state !== 'primary') return;
    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#settings.failureThreshold) this.#open();
  }

  /** The primary answered (a result, or an error that is not about its health). */
  primaryAnswered(): void {
    if (this.#state === 'primary') this.#consecutiveFailures = 0;
  }

  /** Freeze the state (the backend was closed): a late probe result changes nothing. */
  stop(): void {
    this.#stopped = true;
  }

  #open(): void {
    this.#openedAt = this.#settings.now();
    this.#consecutiveFailures = 0;
    this.#moveTo('fallback');
  }

  #startProbe(): void {
    this.#moveTo('probing');
    void this.#settings.probe().then((healthy) => {
      if (this.#stopped) return;
      if (healthy) this.#moveTo('primary');
      else this.#open();
    });
  }

  #moveTo(state: FailoverState): void {
    if (this.#stopped || state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    try {
      this.#settings.onStateChange?.(state, previous);
    } catch {
      // Documented: a listener's error must not fail the call that moved the breaker.
    }
  }
}

import { log } from './format.js';

/** One step of a run (a cell, or an adapter's extra measurements) and its planned length. */
interface PlannedStep {
  /** Measured time the step is planned to take; what it really takes includes set-up. */
  plannedMs: number;
  /** Planned time of the parts already measured (rounds of a cell). */
  doneMs: number;
  done: boolean;
}

/**
 * Overall progress of a long run: the share of the planned measurement time done, steps
 * finished out of the total, and the time left, estimated from the planned time left scaled by
 * how much longer than planned the measured part took (seeding, garbage collection,
 * checkpoints and server start-up are not in the plan).
 */
export class RunProgress {
  readonly #steps = new Map<string, PlannedStep>();
  readonly #startedAt = performance.now();

  /** Add a step, or change its planned length once more is known (e.g. its contender count). */
  plan(id: string, plannedMs: number): void {
    const step = this.#steps.get(id);
    if (step === undefined) this.#steps.set(id, { plannedMs, doneMs: 0, done: false });
    else step.plannedMs = Math.max(plannedMs, step.doneMs);
  }

  /** Count `ms` more of a step's planned time as measured (a sitting of a cell, or a process's share). */
  advance(id: string, ms: number): void {
    const step = this.#step(id);
    step.doneMs = Math.min(step.plannedMs, step.doneMs + ms);
  }

  /**
   * Mark the steps given finished, then log the overall progress once (with none given: after
   * rounds that moved unfinished steps on).
   */
  finish(...ids: string[]): void {
    for (const id of ids) {
      const step = this.#step(id);
      step.done = true;
      step.doneMs = step.plannedMs;
    }
    log(this.describe());
  }

  /**
   * `progress 21 % (12/56 steps), 2 min so far, about 8 min left` (before any measurement: the
   * planned total). The share is of the planned time, so rounds of unfinished cells count.
   */
  describe(): string {
    const steps = [...this.#steps.values()];
    const plannedDone = sum(steps.map((step) => step.doneMs));
    const plannedLeft = sum(steps.map((step) => step.plannedMs - step.doneMs));
    const elapsedMs = performance.now() - this.#startedAt;
    const finished = steps.filter((step) => step.done).length;
    const planned = plannedDone + plannedLeft;
    const percent = planned === 0 ? 100 : Math.round((plannedDone / planned) * 100);
    const share = `${percent} % (${finished}/${steps.length} steps)`;
    if (plannedDone === 0) {
      // Set-up, seeding and garbage collection come on top of the planned measurements.
      return `progress ${share}, ${formatDuration(plannedLeft)} of measurements planned`;
    }
    const leftMs = (elapsedMs / plannedDone) * plannedLeft;
    return `progress ${share}, ${formatDuration(elapsedMs)} so far, about ${formatDuration(leftMs)} left`;
  }

  #step(id: string): PlannedStep {
    const step = this.#steps.get(id);
    if (step === undefined) throw new Error(`progress: unplanned step ${id}`);
    return step;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** `42 s`, `7 min`, `1 h 05 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

import { log } from './format.js';

/** One step of a run (a cell, or an adapter's extra measurements) and its planned length. */
interface PlannedStep {
  /** Measured time the step is planned to take; what it really takes includes set-up. */
  plannedMs: number;
  done: boolean;
}

/**
 * Overall progress of a long run: steps done out of the total, and the time left, estimated
 * from the planned length of the remaining steps scaled by how much longer than planned the
 * finished ones took (seeding, garbage collection, checkpoints and server start-up are not in
 * the plan).
 */
export class RunProgress {
  readonly #steps = new Map<string, PlannedStep>();
  readonly #startedAt = performance.now();

  /** Add a step, or change its planned length once more is known (e.g. its contender count). */
  plan(id: string, plannedMs: number): void {
    const step = this.#steps.get(id);
    if (step === undefined) this.#steps.set(id, { plannedMs, done: false });
    else step.plannedMs = plannedMs;
  }

  /** Mark a step finished and log the overall progress. */
  finish(id: string): void {
    const step = this.#steps.get(id);
    if (step === undefined) throw new Error(`progress: unplanned step ${id}`);
    step.done = true;
    log(this.describe());
  }

  /** `progress 12/56 (21 %), 2 min so far, about 8 min left` (before any step: the planned total). */
  describe(): string {
    const steps = [...this.#steps.values()];
    const done = steps.filter((step) => step.done);
    const plannedDone = sum(done.map((step) => step.plannedMs));
    const plannedLeft = sum(steps.filter((step) => !step.done).map((step) => step.plannedMs));
    const elapsedMs = performance.now() - this.#startedAt;
    const share = `${done.length}/${steps.length} (${Math.round((done.length / steps.length) * 100)} %)`;
    if (plannedDone === 0) {
      // Set-up, seeding and garbage collection come on top of the planned measurements.
      return `progress ${share}, ${formatDuration(plannedLeft)} of measurements planned`;
    }
    const leftMs = (elapsedMs / plannedDone) * plannedLeft;
    return `progress ${share}, ${formatDuration(elapsedMs)} so far, about ${formatDuration(leftMs)} left`;
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

import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AdapterName } from '../config.js';
import { log } from '../format.js';
import type { CellRounds } from '../run-adapter.js';
import { type CellRoundsMessage, fromMessage } from './cell-rounds-message.js';

const CHILD = new URL('./measure-process.js', import.meta.url);

/**
 * Measure every cell of `adapter` in `processes` fresh processes, one after another (each with
 * this process's Node flags and the bench's `flags`), and pool their rounds: each contender's
 * rounds of a cell are the rounds of every process in turn, so a round still pairs measurements
 * taken back to back. `measured` gets each process's cells as it finishes.
 */
export async function measureInProcesses(
  adapter: AdapterName,
  processes: number,
  flags: readonly string[],
  measured: (cells: readonly CellRounds[]) => void,
): Promise<CellRounds[]> {
  let pooled: CellRounds[] | undefined;
  for (let index = 0; index < processes; index++) {
    log(`${adapter}: process ${index + 1}/${processes}`);
    const cells = await measureInProcess([...flags, `--only=${adapter}`], index);
    measured(cells);
    pooled = pooled === undefined ? cells : poolRounds(pooled, cells);
  }
  return pooled ?? [];
}

async function measureInProcess(flags: readonly string[], index: number): Promise<CellRounds[]> {
  const child = fork(CHILD, flags, {
    serialization: 'advanced',
    env: { ...process.env, BENCH_PROCESS_INDEX: String(index) },
  });
  let cells: CellRounds[] | undefined;
  child.on('message', (message) => {
    cells = fromMessage(message as CellRoundsMessage);
  });
  // 'close' comes after the IPC channel has delivered everything, unlike 'exit'.
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0 || cells === undefined) {
    throw new Error(`a measuring process failed (exit code ${code}, signal ${signal})`);
  }
  return cells;
}

/** `a`'s cells with `b`'s rounds appended, cell by cell and contender by contender. */
function poolRounds(a: readonly CellRounds[], b: readonly CellRounds[]): CellRounds[] {
  return a.map((cell, cellIndex) => {
    const other = b[cellIndex];
    if (other?.op !== cell.op || other.concurrency !== cell.concurrency) {
      throw new Error('measuring processes returned different cells');
    }
    return {
      ...cell,
      contenders: cell.contenders.map((contender, index) => {
        const rounds = other.contenders[index];
        if (rounds?.kind !== contender.kind) throw new Error('measuring processes disagree');
        return { ...contender, rounds: [...contender.rounds, ...rounds.rounds] };
      }),
    };
  });
}

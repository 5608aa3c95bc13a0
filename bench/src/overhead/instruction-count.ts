import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { log } from '../format.js';
import { type CoreBuild, prepareCoreCopies } from './core-copies.js';

const run = promisify(execFile);
const TARGET = fileURLToPath(new URL('./callgrind-target.js', import.meta.url));

/**
 * V8 options that make a run's instruction count repeatable: no background compiler or GC
 * threads (whose share of the work depends on timing) and a fixed hash seed. Without them
 * two runs of the same build differed by 8.6 % per get, more than the check being measured.
 */
export const REPEATABLE_NODE_FLAGS = ['--single-threaded', '--random-seed=1'];

/** The variants of callgrind-target.ts. */
export type InstructionVariant = 'stock' | 'stripped' | 'subscribed';
export const INSTRUCTION_VARIANTS: readonly InstructionVariant[] = [
  'stripped',
  'stock',
  'subscribed',
];

/** Gets of the two runs whose difference is counted, after the same warm-up. */
export interface InstructionPlan {
  warmup: number;
  small: number;
  large: number;
}

/** Instructions per memory get of each variant, from callgrind. */
export interface InstructionCounts {
  valgrind: string;
  /** Node options of the counted runs. */
  nodeFlags: string[];
  plans: Record<InstructionVariant, InstructionPlan>;
  perGet: Record<InstructionVariant, number>;
}

/**
 * Count the instructions one memory `get` (hit, 64 in flight) executes, per variant: callgrind
 * counts a run of `small` and one of `large` gets after the same warm-up, and the difference
 * divided by `large − small` leaves out start-up, seeding, JIT warm-up and shutdown. A run
 * with a subscriber executes about 15 times as many instructions per get: it gets a smaller plan.
 * Instruction counts, unlike time, do not move with the machine's load.
 */
export async function countInstructions(
  plans: Record<InstructionVariant, InstructionPlan>,
): Promise<InstructionCounts> {
  const { stdout } = await run('valgrind', ['--version']);
  const dir = await mkdtemp(join(tmpdir(), 'strongbox-callgrind-'));
  try {
    const memory = await prepareCoreCopies(dir);
    const perGet = {} as Record<InstructionVariant, number>;
    for (const variant of INSTRUCTION_VARIANTS) {
      const plan = plans[variant];
      const entry = memory[BUILD_OF[variant]];
      const small = await instructionsOf(dir, variant, entry, plan.small, plan.warmup);
      const large = await instructionsOf(dir, variant, entry, plan.large, plan.warmup);
      perGet[variant] = (large - small) / (plan.large - plan.small);
      log(`  callgrind ${variant}: ${perGet[variant].toFixed(0)} instructions per get`);
    }
    return { valgrind: stdout.trim(), nodeFlags: REPEATABLE_NODE_FLAGS, plans, perGet };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The copy of core each variant's memory backend loads. */
const BUILD_OF: Record<InstructionVariant, CoreBuild> = {
  stripped: 'stripped',
  stock: 'stock',
  subscribed: 'stock',
};

/** Total instructions of one run of the target under callgrind. */
async function instructionsOf(
  dir: string,
  variant: InstructionVariant,
  memory: string,
  gets: number,
  warmup: number,
): Promise<number> {
  const out = join(dir, `${variant}-${gets}.callgrind`);
  await run(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      ...REPEATABLE_NODE_FLAGS,
      TARGET,
      `--variant=${variant}`,
      `--memory=${memory}`,
      `--gets=${gets}`,
      `--warmup=${warmup}`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const totals = /^(?:totals|summary): (\d+)/m.exec(await readFile(out, 'utf8'));
  if (totals === null) throw new Error(`callgrind wrote no totals to ${out}`);
  return Number(totals[1]);
}

import { randomUUID } from 'node:crypto';
import { redactText } from '@strongbox/core';
import { parseDemoArgs, USAGE } from './cli-options.js';
import { DemoSetupError } from './open-backend.js';
import { runPhase } from './phase.js';
import {
  formatCheck,
  formatClientTable,
  formatSummary,
  type PhaseResult,
  phaseTotals,
} from './report.js';
import { clientProfiles } from './simulation.js';

async function main(): Promise<number> {
  const config = parseDemoArgs(process.argv.slice(2), process.env);
  if (config === 'help') {
    console.log(USAGE);
    return 0;
  }
  const where = config.url === undefined ? '' : ` at ${redactText(config.url)}`;
  console.log(
    `@strongbox/ratelimit, fixedWindow({ limit: ${config.limit}, windowMs: ${config.windowMs} }) ` +
      `on backend ${config.backend}${where}: ${config.clients} clients, ` +
      `4 phases of ${config.durationMs} ms.`,
  );
  const profiles = clientProfiles(config.clients);
  // A fresh prefix per run keeps windows of earlier runs on a shared server out of the way.
  const run = randomUUID().slice(0, 8);
  // Unreported: the first phase would otherwise also measure the JIT compiling the hot path.
  await runPhase(config, profiles, {
    keys: 'hot key',
    combine: true,
    prefix: `strongbox-demo:${run}:warm-up:`,
    durationMs: Math.min(200, config.durationMs),
  });
  const phases: PhaseResult[] = [];
  for (const keys of ['hot key', 'own keys'] as const) {
    for (const combine of [true, false]) {
      const phase = await runPhase(config, profiles, {
        keys,
        combine,
        prefix: `strongbox-demo:${run}:${phases.length}:`,
        durationMs: config.durationMs,
      });
      phases.push(phase);
      if (combine) {
        const sharing =
          keys === 'hot key' ? 'all clients share one key' : 'each client its own key';
        console.log(`\n${keys} (${sharing}), combining on:\n`);
        console.log(formatClientTable(phase.outcomes));
      }
      const { failed } = phaseTotals(phase.outcomes);
      const failures = failed === 0 ? '' : ` ${failed} denied because the backend failed.`;
      const verdict = formatCheck(phase.check, config.limit);
      console.log(`${keys}, combining ${combine ? 'on' : 'off'}: ${verdict}${failures}`);
    }
  }
  console.log(`\n${formatSummary(phases)}`);
  const broken = phases.filter((p) => p.check.violations > 0).length;
  if (broken > 0) {
    console.log(`\nFAIL: the limit was exceeded in ${broken} phase(s).`);
    return 1;
  }
  console.log(`\nOK: no window of any key admitted more than ${config.limit} requests.`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof DemoSetupError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);

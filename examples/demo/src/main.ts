import { randomUUID } from 'node:crypto';
import { redactText } from '@strongbox/core';
import { parseDemoArgs, USAGE } from './cli-options.js';
import { DemoSetupError, openBackend } from './open-backend.js';
import { FixedWindowLimiter } from './rate-limiter.js';
import { checkLimit, formatClientTable } from './report.js';
import { clientProfiles, simulate } from './simulation.js';

async function main(): Promise<number> {
  const config = parseDemoArgs(process.argv.slice(2), process.env);
  if (config === 'help') {
    console.log(USAGE);
    return 0;
  }
  const backend = await openBackend(config.backend, config.url);
  try {
    // A fresh prefix per run keeps windows of earlier runs on a shared server out of the way.
    const limiter = new FixedWindowLimiter({
      backend,
      limit: config.limit,
      windowMs: config.windowMs,
      keyPrefix: `strongbox-demo:${randomUUID().slice(0, 8)}:`,
    });
    const where = config.url === undefined ? '' : ` at ${redactText(config.url)}`;
    console.log(
      `Fixed-window rate limiter on checkAndSet: ${config.limit} requests per ${config.windowMs} ms ` +
        `per client, ${config.clients} clients for ${config.durationMs} ms, backend ${backend.name}${where}\n`,
    );
    const outcomes = await simulate(limiter, clientProfiles(config.clients), config.durationMs);
    console.log(formatClientTable(outcomes, config.limit));
    const check = checkLimit(
      outcomes.flatMap((o) => o.decisions),
      config.limit,
    );
    const total = outcomes.reduce((sum, o) => sum + o.decisions.length, 0);
    console.log(
      `\n${total} requests, ${check.windows} windows, busiest window ${check.busiestWindow}/${config.limit}.`,
    );
    if (check.violations > 0) {
      console.log(
        `FAIL: ${check.violations} window(s) admitted more than ${config.limit} requests.`,
      );
      return 1;
    }
    console.log(`OK: no window admitted more than ${config.limit} requests.`);
    return 0;
  } finally {
    await backend.close();
  }
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

import { relative } from 'node:path';
import { log } from './format.js';
import { rewriteDocFromSavedResults, SAVED, SCRATCH } from './report/write-results.js';

// `pnpm --filter @strongbox/bench render-doc [--scratch]`: refresh docs/benchmarks.md, its
// charts and bench/TARGETS.md from bench/results without re-measuring (`--scratch`: the
// unsaved run's files in .tmp/bench instead).
const scratch = process.argv.includes('--scratch');
const files = await rewriteDocFromSavedResults(scratch ? SCRATCH : SAVED);
log(`wrote ${files.map((file) => relative(process.cwd(), file)).join(', ')}`);

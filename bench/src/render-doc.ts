import { rewriteDocFromSavedResults } from './report/write-results.js';

// `pnpm --filter @strongbox/bench render-doc`: refresh docs/benchmarks.md without re-measuring.
await rewriteDocFromSavedResults();

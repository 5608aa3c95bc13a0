// Prints one closing line, "Tests: N passed, N failed", summed over every package's runner
// output (vitest's "Tests  ... passed" lines and node:test's "ℹ pass N" / "ℹ fail N" lines).
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const log = stripVTControlCharacters(readFileSync(process.argv[2] ?? 0, 'utf8'));
let passed = 0;
let failed = 0;
for (const line of log.split('\n')) {
  const vitest = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (vitest?.[1]) {
    passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
  }
  const nodeTest = /ℹ (pass|fail) (\d+)\s*$/.exec(line);
  if (nodeTest) {
    if (nodeTest[1] === 'pass') passed += Number(nodeTest[2]);
    else failed += Number(nodeTest[2]);
  }
}
console.log(`Tests: ${passed} passed, ${failed} failed`);

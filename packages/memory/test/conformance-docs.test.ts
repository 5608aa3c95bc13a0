import { readFileSync } from 'node:fs';
import { KV_ERROR_CODES } from '@strongbox/core';
import { describeConformance } from '@strongbox/core/conformance';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';
import { ruleIdOf } from './broken/run-suite.js';

const docs = (name: string) =>
  readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

/** Every rule id the suite registers, the fault tests included. */
function allRuleIds(): string[] {
  const ids: string[] = [];
  describeConformance({
    name: 'collected',
    create: createMemoryBackend,
    runner: { describe: (_name, register) => register(), it: (name) => ids.push(ruleIdOf(name)) },
    faults: { dropConnections: async () => 1 },
  });
  return ids;
}

/** The rule ids in the last column of docs/contract.md's rule table. */
function documentedRuleIds(contract: string): string[] {
  const section = contract.slice(contract.indexOf('## Rules and the tests that check them'));
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && line.includes('`'));
  return rows.flatMap((row) => {
    const testsCell = row.split(' | ').at(-1) ?? '';
    return [...testsCell.matchAll(/`([a-z0-9-]+(?:\.[a-z0-9-]+)+)`/g)].map(
      (match) => match[1] as string,
    );
  });
}

describe('the docs match the suite and the error codes', () => {
  it('docs/contract.md maps every rule id of the suite, and only those', () => {
    const documented = documentedRuleIds(docs('contract.md'));
    const registered = allRuleIds();
    expect([...new Set(documented)].sort()).toEqual([...registered].sort());
  });

  it('docs/errors.md lists and explains every error code', () => {
    const errors = docs('errors.md');
    for (const code of KV_ERROR_CODES) {
      expect(errors, `table row of ${code}`).toContain(`| \`${code}\` |`);
      expect(errors, `section of ${code}`).toMatch(new RegExp(`^### .*\`${code}\``, 'm'));
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { errorsOf, REPO, strictProgram } from './strict-program.js';

/** Docs whose TypeScript snippets an adapter author copies. */
const DOCS = ['docs/writing-an-adapter.md'];
/** A code block, and whether a `<!-- quote: ... -->` marker (a real, compiled file) precedes it. */
const BLOCK = /(<!-- quote: \S+ -->\n)?```ts\n([\s\S]*?)```/g;
/**
 * Missing implementations of inherited abstract members: allowed in a snippet that elides
 * members with a `// ...` line (the adapter's `do*` methods shown elsewhere in the guide).
 */
const ELIDED_MEMBERS = new Set([2515, 2654, 2655, 2656]);

/** The doc's own snippets as files in this package's test folder (their relative imports work). */
function snippets(): Map<string, string> {
  const files = new Map<string, string>();
  for (const doc of DOCS) {
    const text = readFileSync(join(REPO, doc), 'utf8');
    let n = 0;
    for (const [, quote, code] of text.matchAll(BLOCK)) {
      if (quote !== undefined) continue;
      n += 1;
      const name = `${doc.replace(/\W+/g, '-')}.snippet-${n}.ts`;
      files.set(join(import.meta.dirname, name), code as string);
    }
  }
  return files;
}

it("typechecks the adapter guide's snippets as a strict project (exactOptionalPropertyTypes)", () => {
  const files = snippets();
  expect(files.size).toBeGreaterThanOrEqual(2);
  const program = strictProgram([], files);
  const errors = [...files].flatMap(([file, code]) =>
    errorsOf(program, file)
      .filter((error) => !(code.includes('// ...') && ELIDED_MEMBERS.has(error.code)))
      .map((error) => `${file}: ${error.text}`),
  );
  expect(errors).toEqual([]);
});

it("the snippets' compiler rejects undefined for an optional field without `| undefined`", () => {
  // Without this the check above could pass only because the option was off.
  const file = join(import.meta.dirname, 'exact-optional-control.ts');
  const code =
    'const given: number | undefined = undefined;\nexport const o: { a?: number } = { a: given };\n';
  const errors = errorsOf(strictProgram([], new Map([[file, code]])), file);
  expect(errors.map((error) => error.code)).toEqual([2375]);
});

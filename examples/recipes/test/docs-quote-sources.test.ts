import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../../..');
/** A whole-file quote in the docs: the marker names the file, the code block right below is it. */
const QUOTE = /<!-- quote: (\S+) -->\n```ts\n([\s\S]*?)```/g;

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name));
}

async function quotesInDocs(): Promise<Array<{ doc: string; path: string; code: string }>> {
  const quotes = [];
  for (const file of await markdownFiles(join(REPO, 'docs'))) {
    const text = await readFile(file, 'utf8');
    for (const [, path, code] of text.matchAll(QUOTE)) {
      quotes.push({ doc: relative(REPO, file), path: path as string, code: code as string });
    }
  }
  return quotes;
}

it('quotes recipe code in the docs exactly as it is in examples/recipes', async () => {
  const quotes = await quotesInDocs();
  expect(quotes.length).toBeGreaterThan(0);
  for (const { doc, path, code } of quotes) {
    const source = await readFile(join(REPO, path), 'utf8');
    expect(code, `${doc} quotes ${path}`).toBe(source);
  }
});

it('quotes every module of examples/recipes/src somewhere in the docs', async () => {
  const quoted = new Set((await quotesInDocs()).map((quote) => quote.path));
  const modules = await readdir(join(import.meta.dirname, '../src'));
  const unquoted = modules
    .map((name) => `examples/recipes/src/${name}`)
    .filter((path) => !quoted.has(path));
  expect(unquoted).toEqual([]);
});

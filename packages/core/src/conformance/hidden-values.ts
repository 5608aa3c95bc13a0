import assert from 'node:assert/strict';
import { inspect } from 'node:util';

/** How far down a cause chain (and into `AggregateError` members) the renderings go. */
const MAX_DEPTH = 8;

/**
 * Every text a log could show of `error`: `String(error)`, its full `inspect()` (hidden
 * properties included), and for it and each error of its cause chain and `AggregateError`
 * members the value of every own property (message, stack, and a driver's fields such as the
 * parameters of its failed request), enumerable or not.
 */
export function renderingsOf(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: MAX_DEPTH, showHidden: true })];
  const visit = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null) {
      if (node !== undefined) texts.push(String(node));
      return;
    }
    for (const name of Object.getOwnPropertyNames(node)) {
      if (name === 'cause' || name === 'errors') continue;
      // Accessors are left alone: reading one could run a driver's code.
      const { value } = Object.getOwnPropertyDescriptor(node, name) ?? {};
      texts.push(
        typeof value === 'string' ? value : inspect(value, { depth: 4, showHidden: true }),
      );
    }
    if (depth >= MAX_DEPTH) return;
    if ('cause' in node) visit(node.cause, depth + 1);
    if (node instanceof AggregateError && Array.isArray(node.errors)) {
      for (const inner of node.errors) visit(inner, depth + 1);
    }
  };
  visit(error, 0);
  return texts;
}

/** Assert that no rendering of `error`, the rejection of `what`, shows any of `values`. */
export function assertValuesHidden(error: unknown, what: string, values: readonly string[]): void {
  for (const text of renderingsOf(error)) {
    for (const value of values) {
      assert.ok(!text.includes(value), `the error of ${what} shows the value ${value}: ${text}`);
    }
  }
}

import { join } from 'node:path';
import ts from 'typescript';

export const REPO = join(import.meta.dirname, '../../..');

/**
 * What a strict consumer project compiles with: `strict` plus `exactOptionalPropertyTypes`
 * (on in TypeScript 7's `tsc --init`), under which an optional field that does not say
 * `| undefined` rejects a user's `undefined` (TS2379).
 */
const STRICT_CONSUMER: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
};

/**
 * A program over real files plus `virtual` ones (absolute path -> text), compiled as a strict
 * consumer would. Virtual files resolve imports from where they claim to live.
 */
export function strictProgram(roots: readonly string[], virtual = new Map<string, string>()) {
  const host = ts.createCompilerHost(STRICT_CONSUMER, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language);
  };
  return ts.createProgram({
    rootNames: [...roots, ...virtual.keys()],
    options: STRICT_CONSUMER,
    host,
  });
}

/** The errors of `file` in `program`, one line each: `TS2379 (line 12): ...`. */
export function errorsOf(program: ts.Program, file: string): Array<{ code: number; text: string }> {
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is not in the program`);
  return [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ].map((diagnostic) => {
    const line =
      diagnostic.start === undefined
        ? '?'
        : source.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    return { code: diagnostic.code, text: `TS${diagnostic.code} (line ${line}): ${message}` };
  });
}

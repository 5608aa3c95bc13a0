import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { REPO, strictProgram } from './strict-program.js';

const PACKAGES = join(REPO, 'packages');

/** The source of every entry point of every published package (`./dist/x.d.ts` -> `./src/x.ts`). */
function publishedEntrySources(): string[] {
  const entries: string[] = [];
  for (const name of readdirSync(PACKAGES)) {
    const dir = join(PACKAGES, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.private === true) continue;
    for (const target of Object.values<{ types?: string }>(manifest.exports ?? {})) {
      if (typeof target !== 'object' || target.types === undefined) continue;
      entries.push(
        join(dir, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')),
      );
    }
  }
  return entries;
}

function ours(node: ts.Node): boolean {
  const file = node.getSourceFile().fileName;
  return file.startsWith(PACKAGES + sep) && !file.includes(`${sep}node_modules${sep}`);
}

/** The interface or type alias a field is declared in. */
function ownerName(field: ts.Node): string {
  for (let node = field.parent; node !== undefined; node = node.parent) {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return node.name.text;
  }
  return '(anonymous)';
}

function acceptsUndefined(type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  return members.some(
    (member) =>
      (member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0,
  );
}

/**
 * Every optional field, in the interfaces and object types the entry points export or take as
 * parameters (and the object types those fields hold), whose declared type leaves out
 * `undefined`: `Type.field (file:line)`.
 */
function optionalFieldsRejectingUndefined(program: ts.Program, entries: readonly string[]) {
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  const seen = new Set<ts.Type>();

  const visitSignatures = (type: ts.Type) => {
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      for (const parameter of signature.getParameters()) visit(checker.getTypeOfSymbol(parameter));
    }
  };
  const visit = (type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) {
      for (const member of type.types) visit(member);
    }
    visitSignatures(type);
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration === undefined || !ours(declaration)) continue;
      if (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)) {
        visitSignatures(checker.getTypeOfSymbol(property));
        continue;
      }
      // Class fields are read, never written by users in object literals.
      if (!ts.isPropertySignature(declaration) || declaration.type === undefined) continue;
      const declared = checker.getTypeFromTypeNode(declaration.type);
      if (declaration.questionToken !== undefined && !acceptsUndefined(declared)) {
        const source = declaration.getSourceFile();
        const line = source.getLineAndCharacterOfPosition(declaration.getStart()).line + 1;
        found.add(
          `${ownerName(declaration)}.${property.name} (${relative(REPO, source.fileName)}:${line})`,
        );
      }
      visit(declared);
    }
  };

  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry} is not a module of the program`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (
        symbol.flags &
        (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class)
      ) {
        visit(checker.getDeclaredTypeOfSymbol(symbol));
      }
      if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) {
        visitSignatures(checker.getTypeOfSymbol(symbol));
      }
    }
  }
  return [...found].sort();
}

it('every optional field of the published packages accepts undefined (exactOptionalPropertyTypes)', () => {
  const entries = publishedEntrySources();
  expect(entries.length).toBeGreaterThanOrEqual(6);
  expect(optionalFieldsRejectingUndefined(strictProgram(entries), entries)).toEqual([]);
});

it('finds an optional field without `| undefined`, nested or in a parameter type', () => {
  // The check above proves nothing unless the walk reaches and reports such fields.
  const file = join(PACKAGES, 'core', 'src', 'exact-optional-control.ts');
  const code = `interface Nested { deep?: number }
export interface Options { ok?: string | undefined; nested?: Nested | undefined }
interface Hidden { flag?: boolean }
export function open(options: Hidden): void {}
`;
  const program = strictProgram([], new Map([[file, code]]));
  expect(optionalFieldsRejectingUndefined(program, [file])).toEqual([
    'Hidden.flag (packages/core/src/exact-optional-control.ts:3)',
    'Nested.deep (packages/core/src/exact-optional-control.ts:1)',
  ]);
});

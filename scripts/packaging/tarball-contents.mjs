/**
 * Problems with what a tarball ships: test files (the conformance suite's `tests/` is product code), build outputs whose source is gone (a stale
 * `dist/` from an earlier build), or no LICENSE. A missing README is only a warning.
 * @param {string[]} files paths inside the package, as `pnpm pack --json` lists them
 * @returns {{ errors: string[], warnings: string[] }}
 */
export function checkContents(files) {
  const errors = [];
  const warnings = [];
  const shipped = new Set(files);
  for (const file of files) {
    if (/^(test|__tests__)\//.test(file) || /\.(test|spec)\.[cm]?[jt]sx?(\.map)?$/.test(file)) {
      errors.push(`ships a test file: ${file}`);
    }
    const built = /^dist\/(.+)\.js$/.exec(file);
    if (built && !shipped.has(`src/${built[1]}.ts`)) {
      errors.push(
        `ships ${file}, but src/${built[1]}.ts does not exist (stale build? rebuild from clean)`,
      );
    }
  }
  if (!files.some((file) => /^LICEN[CS]E(\.md)?$/i.test(file)))
    errors.push('ships no LICENSE file');
  if (!files.some((file) => /^README(\.md)?$/i.test(file))) warnings.push('ships no README.md');
  return { errors, warnings };
}

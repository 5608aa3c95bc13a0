import type { Profiler } from 'node:inspector';

/** Where a node's code lives: a package name, node's internals, or the bench itself. */
function ownerOf(url: string): string {
  if (url === '') return '(native / GC / idle)';
  if (url.startsWith('node:')) return 'node internals';
  const packageMatch = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
    url,
  );
  if (packageMatch?.[1]) return packageMatch[1];
  const workspace = /\/(packages|bench)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === 'bench' ? 'bench harness' : `@strongbox/${workspace[2]}`;
  return url;
}

/**
 * Self time by function (top 25) and by owning package, in µs per operation, from a CPU
 * profile taken over `ops` operations.
 */
export function summarizeProfile(profile: Profiler.Profile, ops: number): string {
  const selfTime = new Map<number, number>();
  const timeDeltas = profile.timeDeltas ?? [];
  for (const [i, nodeId] of (profile.samples ?? []).entries()) {
    selfTime.set(nodeId, (selfTime.get(nodeId) ?? 0) + (timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const self = selfTime.get(node.id) ?? 0;
    if (self === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const owner = ownerOf(url);
    const name = `${functionName || '(anonymous)'} ${owner}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + self);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + self);
    total += self;
  }
  const perOp = (us: number) => (us / ops).toFixed(2).padStart(7);
  const share = (us: number) => `${((us / total) * 100).toFixed(1)}%`.padStart(6);
  const top = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => `${perOp(us)} µs/op ${share(us)}  ${name}`);
  return [
    `${ops} ops, ${(total / 1000).toFixed(0)} ms sampled, ${perOp(total)} µs/op`,
    '-- by package --',
    ...top(byOwner, 12),
    '-- by function (self time) --',
    ...top(byFunction, 25),
  ].join('\n');
}

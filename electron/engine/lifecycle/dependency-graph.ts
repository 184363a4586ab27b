// Validation and ordering of the component dependency graph. Kept apart from the
// host so the rules (unknown names, cycles, order) are testable on plain data.

export interface GraphNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

export class UnknownDependencyError extends Error {
  constructor(
    readonly component: string,
    readonly dependency: string,
  ) {
    super(`component "${component}" depends on unknown component "${dependency}"`);
    this.name = 'UnknownDependencyError';
  }
}

export class DependencyCycleError extends Error {
  /** The cycle as names, first name repeated at the end: ['a', 'b', 'c', 'a']. */
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

/**
 * Throws UnknownDependencyError or DependencyCycleError; otherwise returns the
 * names in a start order (every component after all of its dependencies; ties
 * keep the order in which components were given, so runs are reproducible).
 */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes) {
    for (const d of n.dependsOn) if (!byName.has(d)) throw new UnknownDependencyError(n.name, d);
  }
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    if (onPath.has(name)) throw new DependencyCycleError([...path.slice(path.indexOf(name)), name]);
    onPath.add(name);
    path.push(name);
    for (const d of byName.get(name)!.dependsOn) visit(d);
    path.pop();
    onPath.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const n of nodes) visit(n.name);
  return order;
}

/** Components that depend directly on each component (the reverse edges). */
export function dependentsOf(nodes: readonly GraphNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const n of nodes) for (const d of n.dependsOn) out.get(d)?.push(n.name);
  return out;
}

/** Number of components on the longest dependency chain (1 for independent ones). */
export function longestChain(nodes: readonly GraphNode[]): number {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const measure = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const deps = byName.get(name)?.dependsOn ?? [];
    const d = 1 + Math.max(0, ...deps.map(measure));
    depth.set(name, d);
    return d;
  };
  return Math.max(0, ...nodes.map((n) => measure(n.name)));
}

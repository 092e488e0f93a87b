// The loops of a region's block graph that the region compiler turns into wasm loops
// (region-compiler.ts). Blocks are the nodes and goto_tb edges between them the edges. Every
// cycle of a graph lies inside one strongly connected component (SCC), so each SCC that is
// not a single block without a self-edge is a loop candidate: it becomes one wasm `loop`
// whose header is one of its blocks when, with the edges into that header taken away, what
// remains is acyclic or made of nested loops found the same way. Its body is then laid out
// in topological order, so that every edge inside it is a forward `br` or a `br` back to a
// header. An SCC that cannot be structured that way (or holds an ineligible block) is left
// to the region's segment dispatch, and so is one too heavy (its blocks' ops over a limit):
// TurboFan spills much of a large loop body's state (n-body's 900-op block of inline float
// paths and helper calls ran 1.8x slower as a wasm loop than through the dispatch); the loops
// inside it still become wasm loops of their own.

/** A wasm loop: `body[0]` is the header (a block index); the others are blocks or nested
 *  loops, in an order where every edge between them goes forward. */
export interface Loop { header: number; body: (number | Loop)[] }

/** The region's graph: successor block indices per block, each block's weight (its op count)
 *  and which blocks may be in a loop at all. */
export interface BlockGraph { succ: number[][]; weight: number[]; eligible: (b: number) => boolean }

/** The largest total weight of a wasm loop. */
const MAX_LOOP_WEIGHT = 600;

/** The loops among `nodes` (block indices, ascending), outermost first. */
export function findLoops(nodes: number[], g: BlockGraph): Loop[] {
  return components(nodes, g.succ).flatMap((scc) => (isCycle(scc, g.succ) && scc.every(g.eligible) ? loopsIn(scc, g.succ, nodes, g) : []));
}

/** The SCC as one loop, or the loops inside it when it is too heavy. */
function loopsIn(scc: number[], succ: number[][], outer: number[], g: BlockGraph): Loop[] {
  if (scc.reduce((sum, b) => sum + g.weight[b], 0) <= MAX_LOOP_WEIGHT) {
    const loop = structure(scc, succ, outer);
    return loop ? [loop] : [];
  }
  const { rest, inner } = body(scc, succ, outer);
  return components(rest, inner).flatMap((c) => (isCycle(c, inner) ? loopsIn(c, inner, scc, g) : []));
}

const isCycle = (scc: number[], succ: number[][]): boolean => scc.length > 1 || succ[scc[0]].includes(scc[0]);

/** The SCC's header, the block most often entered from `outer` (the enclosing nodes) outside
 *  the SCC, the lowest index on a tie; and its body: the other blocks, and the SCC's edges but
 *  those into the header (the body's own cycles are inner loops). */
function body(scc: number[], succ: number[][], outer: number[]): { header: number; rest: number[]; inner: number[][] } {
  const inScc = new Set(scc);
  const entries = new Map<number, number>();
  for (const n of outer) {
    if (inScc.has(n)) continue;
    for (const s of succ[n]) if (inScc.has(s)) entries.set(s, (entries.get(s) ?? 0) + 1);
  }
  const header = scc.reduce((best, b) => ((entries.get(b) ?? 0) > (entries.get(best) ?? 0) ? b : best), scc[0]);
  const rest = scc.filter((b) => b !== header);
  const inner = succ.map((ss, b) => (inScc.has(b) ? ss.filter((s) => s !== header && inScc.has(s)) : []));
  return { header, rest, inner };
}

/** The SCC as a loop (see body); null when no layout exists. */
function structure(scc: number[], succ: number[][], outer: number[]): Loop | null {
  const { header, rest, inner } = body(scc, succ, outer);
  const units = new Map<number, number | Loop>(); // first block of a unit -> the unit
  const unitOf = new Map<number, number>(); // block -> the first block of its unit
  for (const c of components(rest, inner)) {
    if (isCycle(c, inner)) {
      const loop = structure(c, inner, scc);
      if (!loop) return null;
      units.set(loop.header, loop);
      c.forEach((b) => unitOf.set(b, loop.header));
    } else {
      units.set(c[0], c[0]);
      unitOf.set(c[0], c[0]);
    }
  }
  return { header, body: [header, ...topological(units, unitOf, inner, header).map((u) => units.get(u)!)] };
}

/** The units (by first block) other than the header's in topological order of the edges
 *  between them, the lowest block first where free (guest code order keeps forward branches
 *  short). The header is the only unit without predecessors: everything in an SCC is
 *  reachable from it without going through it again. */
function topological(units: Map<number, number | Loop>, unitOf: Map<number, number>, succ: number[][], header: number): number[] {
  const blocksOf = new Map<number, number[]>();
  for (const [b, u] of unitOf) blocksOf.set(u, [...(blocksOf.get(u) ?? []), b]);
  const edges = new Map<number, Set<number>>();
  const indegree = new Map<number, number>([...units.keys()].map((u) => [u, 0]));
  const unitSuccs = (u: number): number[] => (u === header ? succ[header] : blocksOf.get(u)!.flatMap((b) => succ[b]));
  for (const u of [header, ...units.keys()]) {
    const out = new Set(unitSuccs(u).map((s) => unitOf.get(s)!).filter((v) => v !== u));
    edges.set(u, out);
    for (const v of out) indegree.set(v, indegree.get(v)! + 1);
  }
  const order: number[] = [];
  const ready = [...edges.get(header)!].filter((u) => indegree.set(u, indegree.get(u)! - 1).get(u) === 0);
  while (ready.length) {
    ready.sort((x, y) => x - y);
    const u = ready.shift()!;
    order.push(u);
    for (const v of edges.get(u)!) if (indegree.set(v, indegree.get(v)! - 1).get(v) === 0) ready.push(v);
  }
  return order;
}

/** Tarjan's strongly connected components of the subgraph on `nodes`, each in ascending
 *  order, in reverse topological order of the condensation. Iterative: a region's graph may
 *  be a long chain. */
function components(nodes: number[], succ: number[][]): number[][] {
  const member = new Set(nodes);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: [number, number][] = [[root, 0]];
    index.set(root, next); low.set(root, next++); stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const ss = succ[v].filter((s) => member.has(s));
      if (i < ss.length) {
        top[1]++;
        const w = ss[i];
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next++); stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const p = work[work.length - 1][0];
        low.set(p, Math.min(low.get(p)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const c: number[] = [];
        let w: number;
        do { w = stack.pop()!; onStack.delete(w); c.push(w); } while (w !== v);
        out.push(c.sort((x, y) => x - y));
      }
    }
  }
  return out;
}

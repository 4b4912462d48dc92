import { Node, Tensor, fmtShape } from '@tapegrad/core';
import { checkTrainOptions, custom, defineTrainOptions, requireInteger, requireTensor } from '../options.js';
import { escapeXml, num, svgDocument } from './svg.js';

const NAMES = custom('a Map from tensors to names', (v) => v instanceof Map);
const GRAPH_TEXT = defineTrainOptions('graphText', { showValues: 'boolean', maxValues: 'integer', names: NAMES });
const GRAPH_SVG = defineTrainOptions('graphSvg', { showValues: 'boolean', maxValues: 'integer', names: NAMES });

/**
 * Options of {@link graphSvg} and {@link graphText}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const loss = w.square().sum();
 * graphText(loss, { names: new Map([[w, 'w'], [loss, 'loss']]), showValues: false });
 */
export interface GraphOptions {
  /** Show values and gradients of leaves (and of the root, and of outputs kept with `retainGrad`) (default true). */
  showValues?: boolean;
  /** Tensors up to this many elements are printed in full; larger ones as min/max (default 6). */
  maxValues?: number;
  /** Names for tensors (leaves such as weights, or the root), e.g. `new Map([[w1, 'w1'], [loss, 'loss']])`. */
  names?: ReadonlyMap<Tensor, string>;
}

/** One vertex of the drawn graph: a recorded op, or a leaf tensor that accumulates a gradient. */
type Vertex =
  | { id: number; kind: 'op'; node: Node; inputs: Vertex[] }
  | { id: number; kind: 'leaf'; tensor: Tensor; inputs: Vertex[] };

interface Graph {
  root: Vertex;
  /** Every vertex, in depth-first discovery order from the root. */
  vertices: Vertex[];
}

/** Collects the graph below `root`, sharing one vertex per Node and per leaf tensor. */
function collect(op: string, root: Tensor): Graph {
  requireTensor(op, 'root', root);
  const vertices: Vertex[] = [];
  const ofNode = new Map<Node, Vertex>();
  const ofLeaf = new Map<Tensor, Vertex>();
  const leaf = (t: Tensor): Vertex => {
    let v = ofLeaf.get(t);
    if (!v) {
      v = { id: vertices.length, kind: 'leaf', tensor: t, inputs: [] };
      ofLeaf.set(t, v);
      vertices.push(v);
    }
    return v;
  };
  if (root.gradFn === null) return { root: leaf(root), vertices };
  // Iterative DFS (graphs of deep networks can be thousands of nodes deep).
  const visit = (n: Node): Vertex => {
    const v: Vertex = { id: vertices.length, kind: 'op', node: n, inputs: [] };
    ofNode.set(n, v);
    vertices.push(v);
    return v;
  };
  const rootV = visit(root.gradFn);
  const stack: Array<{ v: Vertex & { kind: 'op' }; i: number }> = [{ v: rootV as Vertex & { kind: 'op' }, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const edges = top.v.node.edges;
    if (top.i >= edges.length) {
      stack.pop();
      continue;
    }
    const e = edges[top.i++];
    if (!e) continue;
    if (e.node) {
      const known = ofNode.get(e.node);
      if (known) top.v.inputs.push(known);
      else {
        const child = visit(e.node) as Vertex & { kind: 'op' };
        top.v.inputs.push(child);
        stack.push({ v: child, i: 0 });
      }
    } else if (e.leaf) top.v.inputs.push(leaf(e.leaf));
  }
  return { root: rootV, vertices };
}

function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e6) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/**
 * A tensor's values for a label: in full when small (`[[1, 2], [3, 4]]`), else `min .. max (N values)`.
 *
 * @example
 * formatValues(tensor([[1, 2], [3, 4]])); // '[[1, 2], [3, 4]]'
 * formatValues(arange(10)); // '0 .. 9 (10 values)'
 */
export function formatValues(t: Tensor, maxValues = 6): string {
  requireTensor('formatValues', 't', t);
  requireInteger('formatValues', 'maxValues', maxValues);
  const data = t.data;
  if (t.numel() <= maxValues) {
    const shape = t.shape;
    let i = 0;
    const build = (d: number): string => {
      if (d === shape.length) return fmtNumber(data[i++]!);
      const parts: string[] = [];
      for (let k = 0; k < shape[d]!; k++) parts.push(build(d + 1));
      return `[${parts.join(', ')}]`;
    };
    return build(0);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < data.length; k++) {
    lo = Math.min(lo, data[k]!);
    hi = Math.max(hi, data[k]!);
  }
  return `${fmtNumber(lo)} .. ${fmtNumber(hi)} (${t.numel()} values)`;
}

interface Labels {
  title: string;
  lines: string[];
}

function labelsFor(g: Graph, rootTensor: Tensor, opts: GraphOptions): Map<Vertex, Labels> {
  const show = opts.showValues ?? true;
  const maxValues = opts.maxValues ?? 6;
  const out = new Map<Vertex, Labels>();
  let unnamed = 0;
  const values = (t: Tensor, lines: string[]) => {
    if (!show) return;
    lines.push(`value ${formatValues(t, maxValues)}`);
    if (t.grad) lines.push(`grad ${formatValues(t.grad, maxValues)}`);
  };
  for (const v of g.vertices) {
    if (v.kind === 'op') {
      const n = v.node;
      const name = v === g.root ? opts.names?.get(rootTensor) : n.retained ? opts.names?.get(n.retained) : undefined;
      const lines = [`${fmtShape(n.shape)} ${n.dtype}`];
      const t = v === g.root ? rootTensor : n.retained;
      if (t) values(t, lines);
      out.set(v, { title: name ? `${name} = ${n.toString()}` : n.toString(), lines });
    } else {
      const t = v.tensor;
      const name = opts.names?.get(t) ?? `leaf${t.requiresGrad ? '' : ' (no grad)'} #${++unnamed}`;
      const lines = [`${fmtShape(t.shape)} ${t.dtype}`];
      values(t, lines);
      out.set(v, { title: name, lines });
    }
  }
  return out;
}

/**
 * The computational graph of a tensor as an indented tree, from the result down to the leaves:
 * one line per recorded op (`node.toString()`, e.g. `MulBackward`, with its output shape and
 * dtype) and per leaf (its name from `opts.names` or `leaf #k`, shape, dtype, value and `.grad`
 * when present). An op used by several others is printed once and then referred to by `#id`.
 * Inputs that do not require grad (constants) are not part of the graph and not shown.
 *
 * @param root - the tensor whose history to print, usually a loss
 * @throws ValueError if `root` is not a Tensor, or for bad options (options other than a plain object, unknown options, wrong-typed values)
 * @example
 * const a = tensor([1, 2], { requiresGrad: true });
 * const b = tensor([3, 4], { requiresGrad: true });
 * const c = tensor([5, 6], { requiresGrad: true });
 * const y = a.mul(b).add(c).sum();
 * console.log(graphText(y, { names: new Map([[a, 'a'], [b, 'b'], [c, 'c'], [y, 'y']]) }));
 * // y = SumBackward  [] float32  value 22
 * // └─ AddBackward  [2] float32
 * //    ├─ MulBackward  [2] float32
 * //    │  ├─ a  [2] float32  value [1, 2]
 * //    │  └─ b  [2] float32  value [3, 4]
 * //    └─ c  [2] float32  value [5, 6]
 */
export function graphText(root: Tensor, opts?: GraphOptions): string {
  opts = checkTrainOptions(GRAPH_TEXT, opts);
  const g = collect('graphText', root);
  const labels = labelsFor(g, root, opts);
  const uses = new Map<Vertex, number>();
  for (const v of g.vertices) for (const i of v.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const printed = new Set<Vertex>();
  const out: string[] = [];
  const line = (v: Vertex) => {
    const l = labels.get(v)!;
    const tag = v.kind === 'op' && (uses.get(v) ?? 0) > 1 ? ` #${v.id}` : '';
    return [`${l.title}${tag}`, ...l.lines].join('  ');
  };
  // Iterative pre-order walk; each frame prints a vertex with the prefix for its children.
  const stack: Array<{ v: Vertex; head: string; tail: string }> = [{ v: g.root, head: '', tail: '' }];
  while (stack.length) {
    const { v, head, tail } = stack.pop()!;
    if (printed.has(v) && v.kind === 'op') {
      out.push(`${head}${labels.get(v)!.title} #${v.id} (shown above)`);
      continue;
    }
    printed.add(v);
    out.push(head + line(v));
    const kids = v.inputs;
    for (let i = kids.length - 1; i >= 0; i--) {
      const last = i === kids.length - 1;
      stack.push({ v: kids[i]!, head: `${tail}${last ? '└─ ' : '├─ '}`, tail: `${tail}${last ? '   ' : '│  '}` });
    }
  }
  return out.join('\n');
}

const FONT = 12;
const CHAR_W = 7.3; // monospace advance at 12px
const LINE_H = 16;

/**
 * Draws the computational graph of a tensor as an SVG, inputs on the left and the result on the
 * right: one box per recorded op (its name, e.g. `MulBackward`, and output shape and dtype) and
 * per leaf (name from `opts.names` or `leaf #k`, shape, dtype, value and `.grad` when present, in
 * full for small tensors), with arrows along the edges of the tape (`node.edges`). Ops are
 * blue, leaves green; the root has a thick border. Columns are the longest distance from the root.
 *
 * @param root - the tensor whose history to draw, usually a loss (before or after `backward()`)
 * @returns the SVG document (write it with {@link saveSvg})
 * @throws ValueError if `root` is not a Tensor, or for bad options (options other than a plain object, unknown options, wrong-typed values)
 * @example
 * const w = tensor([[0.15, 0.2], [0.25, 0.3]], { requiresGrad: true });
 * const x = tensor([[0.05, 0.1]]);
 * const loss = x.matmul(w.T).sigmoid().sum();
 * loss.backward();
 * const svg = graphSvg(loss, { names: new Map([[w, 'w'], [loss, 'loss']]) });
 * // saveSvg(svg, 'out/graph.svg');
 */
export function graphSvg(root: Tensor, opts?: GraphOptions): string {
  opts = checkTrainOptions(GRAPH_SVG, opts);
  const g = collect('graphSvg', root);
  const labels = labelsFor(g, root, opts);

  // Longest distance from the root, in a topological order (consumers before their inputs).
  const order: Vertex[] = [];
  const state = new Map<Vertex, number>(); // 1 = on stack, 2 = done
  const stack: Array<{ v: Vertex; i: number }> = [{ v: g.root, i: 0 }];
  state.set(g.root, 1);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.v.inputs.length) {
      const c = top.v.inputs[top.i++]!;
      if (!state.has(c)) {
        state.set(c, 1);
        stack.push({ v: c, i: 0 });
      }
    } else {
      state.set(top.v, 2);
      order.push(top.v);
      stack.pop();
    }
  }
  order.reverse();
  const depth = new Map<Vertex, number>([[g.root, 0]]);
  for (const v of order) for (const c of v.inputs) depth.set(c, Math.max(depth.get(c) ?? 0, depth.get(v)! + 1));
  const maxDepth = Math.max(...depth.values());

  // Layers ordered by the mean position of their consumers (one sweep from the root outward).
  const layers: Vertex[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const v of g.vertices) layers[depth.get(v)!]!.push(v);
  const pos = new Map<Vertex, number>();
  const consumers = new Map<Vertex, Vertex[]>();
  for (const v of g.vertices) for (const c of v.inputs) consumers.set(c, [...(consumers.get(c) ?? []), v]);
  layers[0]!.forEach((v, i) => pos.set(v, i));
  for (let d = 1; d <= maxDepth; d++) {
    const key = (v: Vertex) => {
      const cs = (consumers.get(v) ?? []).filter((c) => pos.has(c));
      // Within one consumer, inputs keep their argument order.
      return cs.length ? cs.reduce((s, c) => s + pos.get(c)! + c.inputs.indexOf(v) / (c.inputs.length + 1), 0) / cs.length : 0;
    };
    const keyed = layers[d]!.map((v, i) => ({ v, k: key(v), i }));
    keyed.sort((a, b) => a.k - b.k || a.i - b.i);
    layers[d] = keyed.map((e) => e.v);
    layers[d]!.forEach((v, i) => pos.set(v, i));
  }

  // Box sizes and coordinates.
  const size = new Map<Vertex, { w: number; h: number }>();
  for (const v of g.vertices) {
    const l = labels.get(v)!;
    const chars = Math.max(l.title.length, ...l.lines.map((s) => s.length));
    size.set(v, { w: Math.ceil(chars * CHAR_W) + 20, h: 10 + LINE_H * (1 + l.lines.length) });
  }
  const gapX = 56;
  const gapY = 18;
  const top = 44; // below the title
  const colW = layers.map((layer) => Math.max(...layer.map((v) => size.get(v)!.w)));
  const colH = layers.map((layer) => layer.reduce((s, v) => s + size.get(v)!.h, 0) + gapY * (layer.length - 1));
  const totalH = Math.max(...colH);
  const xy = new Map<Vertex, { x: number; y: number }>();
  let x = 20;
  for (let d = maxDepth; d >= 0; d--) {
    let y = top + (totalH - colH[d]!) / 2;
    for (const v of layers[d]!) {
      const s = size.get(v)!;
      xy.set(v, { x: x + (colW[d]! - s.w) / 2, y });
      y += s.h + gapY;
    }
    x += colW[d]! + gapX;
  }
  const width = x - gapX + 20;
  const height = top + totalH + 20;

  const body: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#555"/></marker></defs>',
    '<g class="edges" fill="none" stroke="#555" stroke-width="1.3">',
  ];
  for (const v of g.vertices) {
    const b = xy.get(v)!;
    const bs = size.get(v)!;
    v.inputs.forEach((c, i) => {
      const a = xy.get(c)!;
      const as = size.get(c)!;
      const x1 = a.x + as.w;
      const y1 = a.y + as.h / 2;
      const x2 = b.x;
      // Spread the arrow heads of several inputs over the box's left side, in argument order.
      const y2 = b.y + (bs.h * (i + 1)) / (v.inputs.length + 1);
      const mx = (x1 + x2) / 2;
      body.push(`<path d="M${num(x1)} ${num(y1)} C${num(mx)} ${num(y1)} ${num(mx)} ${num(y2)} ${num(x2)} ${num(y2)}" marker-end="url(#arrow)"/>`);
    });
  }
  body.push('</g>', `<g class="nodes" font-family="Menlo, Consolas, monospace" font-size="${FONT}">`);
  for (const v of g.vertices) {
    const { x: bx, y: by } = xy.get(v)!;
    const { w, h } = size.get(v)!;
    const l = labels.get(v)!;
    const isOp = v.kind === 'op';
    const fill = isOp ? '#dbe9f6' : '#e2f0d9';
    const stroke = isOp ? '#1f77b4' : '#2ca02c';
    const sw = v === g.root ? 3 : 1.2;
    body.push(`<g class="node ${isOp ? 'op' : 'leaf'}"><title>${escapeXml([l.title, ...l.lines].join('\n'))}</title>`);
    body.push(`<rect x="${num(bx)}" y="${num(by)}" width="${num(w)}" height="${num(h)}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"/>`);
    body.push(`<text x="${num(bx + 10)}" y="${num(by + 5 + LINE_H - 4)}" font-weight="bold">${escapeXml(l.title)}</text>`);
    l.lines.forEach((s, i) =>
      body.push(`<text x="${num(bx + 10)}" y="${num(by + 5 + LINE_H * (i + 2) - 4)}" fill="#333">${escapeXml(s)}</text>`),
    );
    body.push('</g>');
  }
  body.push('</g>');
  const title = `computational graph${opts.names?.get(root) ? ` of ${opts.names.get(root)}` : ''}`;
  return svgDocument(Math.max(width, title.length * 9 + 40), height, body.join('\n'), title);
}

import { AutogradError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { Storage } from '../storage.js';
import { isFloating } from '../dtype.js';
import { sumToShape } from '../ops/sum-to-shape.js';
import { requireTensor } from '../ops/operands.js';
import { onesLike, zeros } from '../creation.js';
import { checkOptions, defineOptions, describeValue, unsupported } from '../options.js';
import { setGradEnabled } from './grad-mode.js';
import { Node, type Edge, type GradHook } from './node.js';
import { GradientRecycler } from './recycler.js';

/**
 * Options of {@link backward}.
 *
 * @example
 * const x = tensor([2], { requiresGrad: true });
 * const y = x.pow(2).sum();
 * y.backward({ retainGraph: true }); // or y.backward(null, { retainGraph: true })
 * y.backward(); // a second pass through the same graph: gradients add up
 * x.grad!.toArray(); // [8]
 */
export interface BackwardOptions {
  /** Keep the saved tensors so that backward can run through this graph again. Defaults to `createGraph`. */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * Options of {@link grad}.
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const [g] = grad(x.mul(3), [x], { gradOutputs: tensor([1, 10]) });
 * g!.toArray(); // [3, 30]
 */
export interface GradOptions extends BackwardOptions {
  /** The gradients of the outputs ("vector" of the vector-Jacobian product); required for non-scalar outputs. */
  gradOutputs?: Array<Tensor | null | undefined> | Tensor;
  /** Return null for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const BACKWARD = defineOptions('backward', {
  retainGraph: 'boolean',
  createGraph: 'boolean',
  inputs: unsupported('backward: inputs is not supported; use grad(outputs, inputs) for the gradients of some inputs only'),
});
const GRAD = defineOptions('grad', {
  retainGraph: 'boolean',
  createGraph: 'boolean',
  gradOutputs: 'tensor|array',
  allowUnused: 'boolean',
  isGradsBatched: unsupported('grad: isGradsBatched is not supported', false),
});

/** A plain object (`{ ... }`), as options are, unlike a tensor or null. */
function isPlainObject(x: unknown): x is object {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Nodes reachable from the roots, each after every node that feeds gradient into it. */
function topoOrder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // Iterative post-order DFS: deep graphs (long RNN chains, 10k-step loops) must not overflow the stack.
  const stack: Array<{ node: Node; i: number }> = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push({ node: r, i: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = top.node.edges;
      let pushed = false;
      while (top.i < edges.length) {
        const next = edges[top.i++]?.node;
        if (next && !seen.has(next)) {
          seen.add(next);
          stack.push({ node: next, i: 0 });
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

function runHooks(hooks: readonly GradHook[], g: Tensor): Tensor {
  for (const h of hooks) {
    const r = h(g);
    if (r !== undefined) g = r;
  }
  return g;
}

/**
 * Brings the gradient a node's rule returned for its input `i` to that input's shape (summing a
 * broadcast gradient down) and dtype, and checks it, as every rule's output must.
 */
function fitGradient(node: Node, i: number, g: Tensor, edge: Edge): Tensor {
  if (!shapesEqual(g.nd.shape, edge.shape)) {
    if (!sumsTo(g.nd.shape, edge.shape))
      throw new ShapeError(
        `backward: ${node.userRule ? `the custom function '${node.name}'` : node.name} returned a gradient of shape ${fmtShape(g.shape)} ` +
          `for its input ${i} of shape ${fmtShape(edge.shape)}; expected that shape, or one it broadcasts to`,
      );
    g = sumToShape(g, edge.shape);
  }
  if (g.dtype !== edge.dtype) g = g.to(edge.dtype);
  return g;
}

/** Whether `shape` broadcasts to `gShape`, so that a gradient of `gShape` sums down to it. */
function sumsTo(gShape: readonly number[], shape: readonly number[]): boolean {
  const lead = gShape.length - shape.length;
  return lead >= 0 && shape.every((d, i) => d === 1 || d === gShape[lead + i]);
}

/**
 * Runs reverse-mode differentiation from `roots` with their gradients. Leaf gradients go to
 * `leafGrads` (keyed by tensor); gradients reaching a non-leaf tensor's node are captured for
 * the nodes in `capture`.
 */
function run(
  roots: Tensor[],
  rootGrads: Tensor[],
  opts: BackwardOptions,
  onLeaf: (leaf: Tensor, g: Tensor) => void,
  capture?: Map<Node, Tensor | null>,
  exposed?: Set<Storage>,
  recycler?: GradientRecycler,
): void {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const pending = new Map<Node | Tensor, Tensor>();
  // input-shaped gradients this pass allocated to sum slices' gradients into (never seen by
  // anyone else until their node runs, so they may be added to in place)
  const owned = new Set<Tensor>();
  const keep = (t: Tensor): void => recycler?.keep(t);
  const hold = (t: Tensor, by: 1 | -1): void => recycler?.hold(t, by);
  const died = (t: Tensor): void => recycler?.died(t);
  const accumulate = (key: Node | Tensor, g: Tensor): void => {
    const prev = pending.get(key);
    if (prev !== undefined && owned.has(prev) && shapesEqual(prev.nd.shape, g.nd.shape)) {
      prev.add_(g);
      died(g);
      return;
    }
    const next = prev === undefined ? g : prev.add(g);
    if (prev !== undefined) {
      hold(prev, -1);
      died(prev);
      died(g);
    }
    pending.set(key, next);
    hold(next, 1);
  };
  const sweep = (): void => recycler?.sweep();
  // A slice's gradient goes straight into its input's pending gradient, which becomes (or
  // already is) an input-shaped buffer of this pass. A leaf's summed slices go to onLeaf once,
  // after the loop; a leaf with hooks keeps getting its gradients one by one (its hooks see
  // each, as before).
  const sumIntoInput = (node: Node, g: Tensor): boolean => {
    const edge = node.edges[0];
    if (node.edges.length !== 1 || !edge || g.dtype !== edge.dtype) return false;
    const key = edge.node ?? edge.leaf!;
    if (edge.node === null && edge.leaf!.leafHooks.length > 0) return false;
    let acc = pending.get(key);
    if (acc === undefined || !owned.has(acc)) {
      const fresh = zeros(edge.shape, { dtype: edge.dtype });
      if (acc !== undefined) {
        fresh.add_(acc);
        hold(acc, -1);
        died(acc);
      }
      acc = fresh;
      owned.add(acc);
      pending.set(key, acc);
      hold(acc, 1);
    }
    node.backwardInto!(acc, g);
    return true;
  };
  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    const g = rootGrads[i]!;
    exposed?.add(g.storage);
    keep(g);
    if (r.gradFn) {
      accumulate(r.gradFn, g);
      rootNodes.push(r.gradFn);
    } else accumulate(r, g);
  });
  const prevMode = setGradEnabled(createGraph);
  try {
    // Leaves that are roots themselves (loss = x, a leaf) get their gradient directly.
    for (const r of roots) {
      const g = r.gradFn === null ? pending.get(r) : undefined;
      if (g !== undefined) {
        pending.delete(r);
        onLeaf(r, g);
      }
    }
    const order = topoOrder(rootNodes);
    for (const node of order) {
      let g = pending.get(node);
      pending.delete(node);
      if (g === undefined) continue; // no gradient flowed here (every path was cut)
      hold(g, -1);
      if (node.hooks.length > 0) {
        exposed?.add(g.storage);
        keep(g);
        g = runHooks(node.hooks, g);
        exposed?.add(g.storage);
        keep(g);
      }
      if (node.retained) {
        exposed?.add(g.storage);
        keep(g);
        node.retained.grad = node.retained.grad ? node.retained.grad.add(g) : g.detach();
      }
      if (capture?.has(node)) {
        capture.set(node, g);
        keep(g);
      }
      if (node.userRule) keep(g);
      if (!createGraph && node.backwardInto !== null && sumIntoInput(node, g)) {
        died(g);
        sweep();
        if (!retainGraph) node.release();
        continue;
      }
      const grads = node.apply(g);
      if (grads.length !== node.edges.length)
        throw new AutogradError(
          `backward: ${node.name} returned ${grads.length} gradients for ${node.edges.length} inputs`,
        );
      node.edges.forEach((edge, i) => {
        const gi = grads[i];
        if (!edge || !gi) return;
        if (node.userRule) keep(gi);
        const fitted = fitGradient(node, i, gi, edge);
        if (fitted !== gi) died(gi);
        if (edge.node) accumulate(edge.node, fitted);
        else {
          keep(fitted);
          onLeaf(edge.leaf!, fitted);
        }
      });
      died(g);
      sweep();
      if (!retainGraph) node.release();
    }
    for (const [key, acc] of pending) {
      if (key instanceof Node || !owned.has(acc)) continue;
      keep(acc);
      onLeaf(key, acc);
    }
  } finally {
    setGradEnabled(prevMode);
  }
}

function defaultGrad(op: string, t: Tensor, g: Tensor | null | undefined): Tensor {
  if (g) {
    if (!shapesEqual(g.shape, t.shape))
      throw new ShapeError(
        `${op}: gradient of shape ${fmtShape(g.shape)} does not match the output's shape ${fmtShape(t.shape)}`,
      );
    return g.dtype === t.dtype ? g : g.to(t.dtype);
  }
  if (t.numel() !== 1)
    throw new ValueError(
      `${op}: grad can be implicitly created only for scalar outputs; the output has shape ${fmtShape(t.shape)}, ` +
        'so pass a gradient of that shape',
    );
  return onesLike(t);
}

function checkRequiresGrad(op: string, name: string, t: Tensor): void {
  requireTensor(op, name, t);
  if (!t.requiresGrad)
    throw new AutogradError(
      `${op}: the tensor (shape ${fmtShape(t.shape)}) does not require grad and has no gradFn; ` +
        'create the inputs with { requiresGrad: true } and compute outside noGrad',
    );
}

/**
 * Computes the gradient of `tensor` with respect to the graph's leaves and accumulates it
 * into their `.grad` (adding to what is there). See {@link Tensor.backward}.
 *
 * @param tensor - the output, usually a scalar loss
 * @param gradient - d(something)/d(tensor), of `tensor`'s shape; required when it is not a scalar.
 *   The options may come in its place: `backward(loss, { retainGraph: true })`.
 * @throws ValueError for a non-scalar output without a gradient, or unknown or wrong-typed options;
 *   AutogradError through a freed graph.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * backward(x.mul(x).sum());
 * x.grad!.toArray(); // [2, 4, 6]
 * backward(x.mul(2), ones([3])); // non-scalar output: pass its gradient
 * x.grad!.toArray(); // [4, 6, 8]
 */
export function backward(tensor: Tensor, gradient?: Tensor | null | BackwardOptions, opts?: BackwardOptions): void {
  if (isPlainObject(gradient)) {
    if (opts !== undefined)
      throw new ValueError('backward: the options were given twice, in place of the gradient and after it; pass backward(gradient, options)');
    opts = gradient as BackwardOptions;
    gradient = undefined;
  } else if (gradient !== undefined && gradient !== null && !(typeof gradient === 'object' && 'storage' in gradient))
    throw new ValueError(`backward: gradient must be a Tensor, null or an options object, got ${describeValue(gradient)}`);
  opts = checkOptions(BACKWARD, opts) ?? {};
  checkRequiresGrad('backward', 'tensor', tensor);
  const g = defaultGrad('backward', tensor, gradient as Tensor | null | undefined);
  const createGraph = opts.createGraph ?? false;
  const firstStorage = Storage.created;
  const exposed = new Set<Storage>();
  const recycler = createGraph ? undefined : new GradientRecycler();
  // each leaf's gradients of this pass are summed first, then added to .grad once (as PyTorch does)
  const sums = new Map<Tensor, Tensor>();
  // sums this pass made, seen by nobody else: later gradients are added to them in place (a
  // weight used at every step of a recurrence gets one buffer, not one new sum per step)
  const ownSums = new Set<Tensor>();
  try {
    run([tensor], [g], opts, (leaf, gi) => {
      if (leaf.leafHooks.length > 0) {
        exposed.add(gi.storage);
        gi = runHooks(leaf.leafHooks, gi);
        exposed.add(gi.storage);
      }
      const prev = sums.get(leaf);
      recycler?.keep(gi);
      if (prev !== undefined && ownSums.has(prev)) {
        prev.add_(gi);
        return;
      }
      const sum = prev === undefined ? gi : prev.add(gi);
      if (prev !== undefined && !createGraph) ownSums.add(sum);
      recycler?.keep(sum);
      sums.set(leaf, sum);
    }, undefined, exposed, recycler);
  } finally {
    recycler?.close();
  }
  for (const [leaf, gi] of sums) {
    if (createGraph) leaf.grad = leaf.grad === null ? gi : leaf.grad.add(gi);
    else if (leaf.grad !== null) leaf.grad = leaf.grad.detach().add(gi.detach());
    else leaf.grad = owns(gi, firstStorage, exposed) ? gi.detach() : gi.detach().clone();
  }
}

/**
 * True if a gradient can become a leaf's `.grad` without a copy: its storage was made during
 * this pass (by a kernel, so nothing from before the pass aliases it), it spans the whole
 * storage in row-major order, and no hook, retained gradient, root gradient or other leaf has
 * seen that storage. The storage is marked as taken.
 */
function owns(g: Tensor, firstStorage: number, exposed: Set<Storage>): boolean {
  const s = g.storage;
  if (s.serial < firstStorage || exposed.has(s) || g.offset !== 0 || s.data.length !== g.numel() || !g.isContiguous()) return false;
  exposed.add(s);
  return true;
}

/**
 * Computes and returns the gradients of `outputs` with respect to `inputs`, without touching
 * any `.grad` (PyTorch's `torch.autograd.grad`). With `createGraph`, the results are on the
 * tape themselves, for second derivatives and Hessian-vector products.
 *
 * @param outputs - tensor(s) to differentiate
 * @param inputs - tensors requiring grad (leaves or intermediate results)
 * @returns one gradient per input, of the input's shape (null for unused inputs with `allowUnused`)
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const [dx] = grad(x.pow(3).sum(), [x], { createGraph: true });
 * dx!.toArray(); // [3, 12, 27] (3x^2)
 * const [d2x] = grad(dx!.sum(), [x]);
 * d2x!.toArray(); // [6, 12, 18] (6x)
 */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  options?: GradOptions,
): Array<Tensor | null> {
  const opts = checkOptions(GRAD, options) ?? {};
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gos = opts.gradOutputs === undefined ? [] : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  outs.forEach((o, i) => checkRequiresGrad('grad', Array.isArray(outputs) ? `outputs[${i}]` : 'outputs', o));
  ins.forEach((t, i) => checkRequiresGrad('grad', Array.isArray(inputs) ? `inputs[${i}]` : 'inputs', t));
  const rootGrads = outs.map((o, i) => defaultGrad('grad', o, gos[i]));
  const leafResults = new Map<Tensor, Tensor>();
  const capture = new Map<Node, Tensor | null>();
  for (const t of ins) if (t.gradFn) capture.set(t.gradFn, null);
  const wanted = new Set(ins.filter((t) => t.gradFn === null));
  run(outs, rootGrads, opts, (leaf, gi) => {
    if (!wanted.has(leaf)) return;
    const prev = leafResults.get(leaf);
    leafResults.set(leaf, prev ? prev.add(gi) : gi);
  }, capture);
  return ins.map((t) => {
    const g = t.gradFn ? capture.get(t.gradFn) ?? null : leafResults.get(t) ?? null;
    if (g === null && !opts.allowUnused)
      throw new AutogradError(
        `grad: one of the inputs (shape ${fmtShape(t.shape)}) is not used by the outputs; pass { allowUnused: true } to get null for it`,
      );
    if (g !== null && !isFloating(g.dtype)) return g.to(t.dtype);
    return g;
  });
}

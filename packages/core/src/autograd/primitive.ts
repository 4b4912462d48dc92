import { isFloating } from '../dtype.js';
import { AutogradError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';
import { Node, type BackwardRule, type Edge } from './node.js';
import { activeTracer } from './trace.js';

/** What a primitive's forward returns: the output, the tensors to save, and any other state. */
export interface ForwardResult<C> {
  out: Tensor;
  /** Inputs or outputs needed by backward; checked for in-place modification before use. */
  saved?: Tensor[];
  /** Non-tensor state for backward (shapes, dims, options). */
  ctx?: C;
}

/** A primitive op: a forward computed with kernels and its backward rule, side by side. */
export interface PrimitiveDef<A extends unknown[], C> {
  /** Computes the output. Runs with the tape off; must return a new Tensor. */
  forward: (...args: A) => ForwardResult<C>;
  /** The backward rule, written in tensor ops (required: the type refuses a primitive without one). */
  backward: BackwardRule<C>;
  /** Set to a reason when the rule is not itself differentiable; `createGraph` through it throws. */
  notTwiceDifferentiable?: string;
  /**
   * For a one-input linear op whose rule places `grad` into zeros of the input's shape (slicing):
   * adds `grad` in place into `acc`, an input-shaped gradient the engine owns, where the rule
   * would put it. Backward without `createGraph` then sums many slices' gradients into one
   * buffer, at the cost of each slice, instead of building and adding an input-sized gradient
   * per slice (which makes T slices of one tensor cost T times its size).
   */
  backwardInto?: (acc: Tensor, grad: Tensor, ctx: C) => void;
}

/**
 * An entry of the primitive registry, for coverage reports.
 *
 * @example
 * const info: PrimitiveInfo = primitives().get('mul')!;
 * info.name; // 'mul'
 * info.twiceDifferentiable; // true
 */
export interface PrimitiveInfo {
  /** The op's name, as in `gradFn.name`. */
  readonly name: string;
  /** False when its backward rule cannot be differentiated again (`createGraph` through it throws). */
  readonly twiceDifferentiable: boolean;
}

const registry = new Map<string, PrimitiveInfo>();

/**
 * Every primitive op defined so far, by name: these carry backward rules; every other op is composed of them.
 *
 * @example
 * primitives().has('bmm'); // true (matmul is composed of reshapes and bmm)
 * primitives().has('mean'); // false (a composite of sum and div)
 */
export function primitives(): ReadonlyMap<string, PrimitiveInfo> {
  return registry;
}

/** True when a tensor among `args` (or inside an array argument) requires grad; allocates nothing. */
function anyRequiresGrad(args: readonly unknown[]): boolean {
  for (const a of args) {
    if (a instanceof Tensor) {
      if (a.requiresGrad) return true;
    } else if (Array.isArray(a)) {
      for (const b of a) if (b instanceof Tensor && b.requiresGrad) return true;
    }
  }
  return false;
}

function collectTensors(args: readonly unknown[]): Tensor[] {
  const out: Tensor[] = [];
  for (const a of args) {
    if (a instanceof Tensor) out.push(a);
    else if (Array.isArray(a)) for (const b of a) if (b instanceof Tensor) out.push(b);
  }
  return out;
}

function edgeOf(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  // The view's own shape array: views are never mutated, so the edge need not copy it.
  return { node: t.gradFn, leaf: t.gradFn ? null : t, shape: t.nd.shape, dtype: t.dtype };
}

/**
 * Defines a primitive op and registers it. The returned function runs the forward and, when the
 * tape is recording and some tensor argument requires grad, records a {@link Node} on the output.
 * Tensor arguments are found among the arguments and inside array arguments, in order; the
 * backward rule returns one gradient per tensor found. An installed {@link Tracer} is told of
 * every call (name, arguments, output) after the forward ran.
 */
export function primitive<A extends unknown[], C = undefined>(
  name: string,
  def: PrimitiveDef<A, C>,
): (...args: A) => Tensor {
  if (registry.has(name)) throw new Error(`primitive: ${name} is defined twice`);
  registry.set(name, { name, twiceDifferentiable: def.notTwiceDifferentiable === undefined });
  const rule: BackwardRule<C> =
    def.notTwiceDifferentiable === undefined
      ? def.backward
      : (g, saved, ctx, needsGrad) => {
          if (isGradEnabled())
            throw new AutogradError(`${name}: backward is not twice differentiable (${def.notTwiceDifferentiable})`);
          return def.backward(g, saved, ctx, needsGrad);
        };
  return (...args: A): Tensor => {
    // Only a recorded call needs its inputs listed (most ops of an inference or optimizer step are not).
    const record = isGradEnabled() && anyRequiresGrad(args);
    const prev = setGradEnabled(false);
    let res: ForwardResult<C>;
    try {
      res = def.forward(...args);
    } finally {
      setGradEnabled(prev);
    }
    const out = record ? attachNode(name, collectTensors(args), res.out, rule as BackwardRule<unknown>, res.saved ?? [], res.ctx) : res.out;
    const into = def.backwardInto;
    if (record && into !== undefined && out.gradFn !== null) {
      const ctx = res.ctx as C;
      out.gradFn.backwardInto = (acc, g) => into(acc, g, ctx);
    }
    if (activeTracer !== null) activeTracer.primitive(name, args, out);
    return out;
  };
}

/**
 * Records `out` as computed from `inputs` by an op with the given backward rule. Returns the
 * tensor carrying the node (a fresh alias if `out` is one of the inputs). @internal
 */
export function attachNode(
  name: string,
  inputs: readonly Tensor[],
  out: Tensor,
  rule: BackwardRule<unknown>,
  saved: readonly Tensor[],
  ctx: unknown,
  userRule = false,
): Tensor {
  // Integer and bool results (casts, counts) carry no gradient: the tape stops there.
  if (!isFloating(out.dtype)) return out;
  if (inputs.includes(out)) out = out.aliasView();
  out._setGradFn(new Node(name, inputs.map(edgeOf), rule, saved, ctx, out.nd.shape, out.dtype, userRule));
  return out;
}

import type { DType } from '../dtype.js';
import { AutogradError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * A backward rule: from the gradient of the output, the gradients of the op's tensor inputs,
 * in the order the inputs were passed (null where an input gets no gradient).
 * Rules are written with tensor ops, so with `createGraph` they are recorded and can be
 * differentiated again. A gradient may have the broadcast (output) shape: the engine sums it
 * down to the input's shape and casts it to the input's dtype.
 *
 * `needsGrad[i]` tells whether input i requires grad (PyTorch's `needs_input_grad`): a rule
 * may skip the gradients nobody will read (the engine drops them anyway).
 *
 * @example
 * // the rule of y = a * b, which saved a and b: dL/da = dL/dy * b, dL/db = dL/dy * a
 * const product: BackwardRule<null> = (g, [a, b], _ctx, [needA, needB]) => [
 *   needA ? g.mul(b!) : null,
 *   needB ? g.mul(a!) : null,
 * ];
 * product(ones([2]), [tensor([3, 4]), tensor([5, 6])], null, [true, false])[0]!.toArray(); // [5, 6]
 */
export type BackwardRule<C> = (
  grad: Tensor,
  saved: Tensor[],
  ctx: C,
  needsGrad: readonly boolean[],
) => ReadonlyArray<Tensor | null | undefined>;

/**
 * Where a gradient flows to: the input's own node, or the leaf that accumulates it.
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const edge: Edge = x.mul(2).gradFn!.edges[0]!;
 * edge.leaf === x; // true
 * edge.shape; // [2]
 */
export interface Edge {
  /** The node that produced the input, or null for a leaf. */
  readonly node: Node | null;
  /** The input itself when it is a leaf (its gradient accumulates into `.grad`), else null. */
  readonly leaf: Tensor | null;
  /** The input's shape: gradients are summed down to it. */
  readonly shape: readonly number[];
  /** The input's dtype: gradients are cast to it. */
  readonly dtype: DType;
}

/**
 * A hook on a tensor's gradient: may return a replacement gradient.
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const clip: GradHook = (g) => g.clamp(-1, 1);
 * x.registerHook(clip);
 * x.mul(5).sum().backward();
 * x.grad!.toArray(); // [1, 1]
 */
export type GradHook = (grad: Tensor) => Tensor | void;

interface Saved {
  tensor: Tensor;
  version: number;
}

/**
 * One recorded operation on the tape (PyTorch's `grad_fn`). It holds the edges to its inputs,
 * the tensors saved for backward (with their version at save time), and its rule.
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = x.mul(2).sum();
 * y.gradFn!.name; // 'sum'
 * y.gradFn!.shape; // []
 * x.gradFn; // null (a leaf)
 */
export class Node {
  private savedTensors: Saved[] | null;
  /** Hooks of the output tensor (registered through `registerHook` on a non-leaf). */
  readonly hooks: GradHook[] = [];
  /** The output tensor, when it asked to keep its gradient (`retainGrad`). */
  retained: Tensor | null = null;
  /**
   * The in-place form of a one-input slicing rule (see `PrimitiveDef.backwardInto`): adds the
   * output's gradient into an input-shaped gradient. Null for other ops. @internal
   */
  backwardInto: ((acc: Tensor, grad: Tensor) => void) | null = null;

  constructor(
    /** The op's name, e.g. `mul`. */
    readonly name: string,
    readonly edges: ReadonlyArray<Edge | null>,
    private readonly rule: BackwardRule<unknown>,
    saved: readonly Tensor[],
    private readonly ctx: unknown,
    /** Shape of the output this node produced (for printing and drawing graphs). */
    readonly shape: readonly number[] = [],
    /** Dtype of that output. */
    readonly dtype: DType = 'float32',
    /**
     * True when the rule is user code (a {@link defineFunction} backward), which may keep the
     * gradients it is given or returns: backward then never reuses their memory.
     */
    readonly userRule: boolean = false,
  ) {
    this.savedTensors = saved.map((tensor) => ({ tensor, version: tensor.version }));
  }

  /**
   * True once backward ran through this node without `retainGraph`.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(x).sum();
   * y.backward();
   * y.gradFn!.freed; // true (backward without retainGraph)
   */
  get freed(): boolean {
    return this.savedTensors === null;
  }

  /**
   * The tensors this node saved for backward (as PyTorch's `saved_tensors`), after the version check.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.exp().gradFn!.savedValues()[0]!.toArray(); // [2.7182817, 7.389056] (exp saves its output)
   */
  savedValues(): Tensor[] {
    if (this.savedTensors === null)
      throw new AutogradError(
        `backward: trying to backward through the graph a second time (through ${this.name}); ` +
          'the saved tensors were freed after the first backward. Pass { retainGraph: true } to the first backward or grad call.',
      );
    return this.savedTensors.map(({ tensor, version }) => {
      if (tensor.version !== version)
        throw new AutogradError(
          `backward: a tensor of shape ${fmtShape(tensor.shape)} (${tensor.dtype}) saved by ${this.name} was modified ` +
            `by an in-place operation (its version is ${tensor.version}, ${this.name} saved version ${version}); ` +
          (tensor.isLeaf && tensor.requiresGrad
            ? 'it is a leaf that requires grad: update it only after backward (e.g. optimizer.step() after loss.backward())'
            : 'clone it before modifying it in place, or use the out-of-place op'),
        );
      return tensor;
    });
  }

  /**
   * Runs the backward rule on the output's gradient: one gradient per input (null or undefined
   * where the rule sends none, e.g. to an input that does not require grad).
   *
   * @throws AutogradError after {@link Node.release}, or when a saved tensor was modified in place
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const [gx, gc] = x.mul(tensor([3, 4])).gradFn!.apply(ones([2]));
   * gx!.toArray(); // [3, 4]
   * gc; // null (the constant needs no gradient)
   */
  apply(grad: Tensor): ReadonlyArray<Tensor | null | undefined> {
    return this.rule(grad, this.savedValues(), this.ctx, this.edges.map((e) => e !== null));
  }

  /**
   * Drops the saved tensors; a later backward through this node throws. Backward calls it on
   * every node it passes unless `retainGraph`.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const node = x.exp().gradFn!;
   * node.release();
   * node.freed; // true
   */
  release(): void {
    this.savedTensors = null;
  }

  /**
   * The op name with PyTorch's suffix, e.g. `MulBackward`.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.mul(2).gradFn!.toString(); // 'MulBackward'
   */
  toString(): string {
    const n = this.name.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
    return `${n}Backward`;
  }
}

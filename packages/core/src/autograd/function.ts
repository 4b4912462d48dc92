import { Tensor } from '../tensor.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';
import { attachNode } from './primitive.js';

/**
 * What a custom function's forward and backward see (PyTorch's `ctx`).
 *
 * @example
 * const scale = defineFunction({
 *   name: 'scale',
 *   forward(ctx, x) { ctx.state.k = 3; return x.mul(3); },
 *   backward(ctx, g) { return [g.mul(ctx.state.k as number)]; },
 * });
 * const x = tensor([1, 2], { requiresGrad: true });
 * scale(x).sum().backward();
 * x.grad!.toArray(); // [3, 3]
 */
export class FunctionContext {
  private saved: Tensor[] = [];
  /**
   * Free-form state for backward (shapes, options).
   *
   * @example
   * const scale = defineFunction({
   *   name: 'scale',
   *   forward(ctx, x) { ctx.state.k = 3; return x.mul(3); },
   *   backward(ctx, g) { return [g.mul(ctx.state.k as number)]; },
   * });
   * scale(tensor([1, 2])).toArray(); // [3, 6]
   */
  readonly state: Record<string, unknown> = {};

  /**
   * Saves tensors for backward; they are checked for in-place modification when used.
   *
   * @example
   * const square = defineFunction({
   *   name: 'square',
   *   forward(ctx, x) { ctx.saveForBackward(x); return x.mul(x); },
   *   backward(_ctx, g, [x]) { return [g.mul(x!).mul(2)]; },
   * });
   * const x = tensor([3], { requiresGrad: true });
   * square(x).sum().backward();
   * x.grad!.toArray(); // [6]
   */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }
  /** @internal */
  get savedList(): Tensor[] {
    return this.saved;
  }
}

/**
 * The definition of a user-defined differentiable function.
 *
 * @example
 * const def: FunctionDef<[Tensor]> = {
 *   name: 'double',
 *   forward: (_ctx, x) => x.mul(2),
 *   backward: (_ctx, g) => [g.mul(2)],
 * };
 * defineFunction(def)(tensor([1, 2])).toArray(); // [2, 4]
 */
export interface FunctionDef<A extends Tensor[]> {
  /** A name for error messages and graph printing. */
  name: string;
  /** Computes the output (the tape is off inside). */
  forward(ctx: FunctionContext, ...inputs: A): Tensor;
  /**
   * Gradients of the inputs from the gradient of the output, one per input (null for none).
   * `saved` are the tensors passed to `saveForBackward`. Written with tensor ops, it can be
   * differentiated again under `createGraph`.
   */
  backward(ctx: FunctionContext, grad: Tensor, saved: Tensor[]): Array<Tensor | null>;
}

/**
 * Defines a differentiable function with a hand-written backward (PyTorch's
 * `torch.autograd.Function`). Returns a function to apply to tensors.
 *
 * @example
 * const cube = defineFunction({
 *   name: 'cube',
 *   forward(ctx, x) { ctx.saveForBackward(x); return x.pow(3); },
 *   backward(_ctx, g, [x]) { return [g.mul(x!.pow(2)).mul(3)]; },
 * });
 * const x = tensor([2], { requiresGrad: true });
 * cube(x).sum().backward();
 * x.grad!.toArray(); // [12]
 */
export function defineFunction<A extends Tensor[]>(def: FunctionDef<A>): (...inputs: A) => Tensor {
  return (...inputs: A): Tensor => {
    const ctx = new FunctionContext();
    const record = isGradEnabled() && inputs.some((t) => t instanceof Tensor && t.requiresGrad);
    const prev = setGradEnabled(false);
    let out: Tensor;
    try {
      out = def.forward(ctx, ...inputs);
    } finally {
      setGradEnabled(prev);
    }
    if (!record) return out;
    return attachNode(def.name, inputs, out, (g, saved) => def.backward(ctx, g, saved), ctx.savedList, undefined, true);
  };
}

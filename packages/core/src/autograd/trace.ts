import type { Tensor } from '../tensor.js';

// The tracing hook behind ONNX export (@tapegrad/onnx) and any other graph capture: while a
// tracer is installed, every primitive reports its name, arguments and output after it ran, and
// a composite wrapped in traceComposite may be taken as one op. When no tracer is installed, the
// cost is one null check per primitive call; ops compute exactly what they compute without it.

/**
 * Receives the ops run while installed with {@link setTracer}.
 *
 * @example
 * const seen: string[] = [];
 * const tracer: Tracer = { primitive: (name, _args, out) => void seen.push(`${name} ${out.shape}`) };
 * const prev = setTracer(tracer);
 * tensor([[1, -2]]).relu().sum();
 * setTracer(prev);
 * seen; // ['relu 1,2', 'sum ']
 */
export interface Tracer {
  /**
   * A primitive ran: its name (as in `gradFn.name`), its arguments as the op passed them
   * (tensors, arrays of tensors, numbers, option objects), and its output.
   */
  primitive(name: string, args: readonly unknown[], out: Tensor): void;
  /**
   * A composite (an op built of other ops, such as `matmul`) is about to run. Return true to take
   * it as one op: its inner ops are then not reported, and {@link Tracer.composite} receives its
   * output. Return false (or leave this out) to see its inner ops instead.
   */
  enterComposite?(name: string, args: readonly unknown[]): boolean;
  /** The output of a composite that {@link Tracer.enterComposite} took. */
  composite?(name: string, args: readonly unknown[], out: Tensor): void;
}

/** The installed tracer, or null (read by `primitive` on every call). @internal */
export let activeTracer: Tracer | null = null;

/**
 * Installs a tracer (null removes it) and returns the one installed before, to restore in a
 * `finally`. The tracer sees every op of the running code, in grad mode or not.
 *
 * @example
 * const names: string[] = [];
 * const prev = setTracer({ primitive: (name) => void names.push(name) });
 * try {
 *   matmul(ones([2, 3]), ones([3, 4])).relu();
 * } finally {
 *   setTracer(prev);
 * }
 * names; // ['reshape', 'reshape', 'bmm', 'reshape', 'relu'] (matmul's inner ops)
 */
export function setTracer(tracer: Tracer | null): Tracer | null {
  const prev = activeTracer;
  activeTracer = tracer;
  return prev;
}

/**
 * Whether a tracer is installed (see {@link setTracer}).
 *
 * @example
 * isTracing(); // false
 * const prev = setTracer({ primitive: () => {} });
 * isTracing(); // true
 * setTracer(prev);
 */
export function isTracing(): boolean {
  return activeTracer !== null;
}

/**
 * Runs the composite op `fn(...args)` so that an installed tracer may take it as one op named
 * `name`: if the tracer's `enterComposite` says so, `fn` runs with tracing off and the tracer's
 * `composite` receives the output; otherwise `fn`'s inner ops are reported as usual. Without a
 * tracer it is `fn(...args)`. Composites call it only when {@link isTracing}, so that the untraced
 * path stays a plain call.
 *
 * @example
 * const addOne = (x: Tensor) => x.add(1);
 * const myOp = (x: Tensor) => (isTracing() ? traceComposite('myOp', [x], addOne) : addOne(x));
 * const seen: string[] = [];
 * const prev = setTracer({
 *   primitive: (name) => void seen.push(name),
 *   enterComposite: (name) => name === 'myOp',
 *   composite: (name, _args, out) => void seen.push(`${name} -> ${out.shape}`),
 * });
 * myOp(ones([2])).exp();
 * setTracer(prev);
 * seen; // ['myOp -> 2', 'exp']
 */
export function traceComposite<A extends unknown[]>(name: string, args: A, fn: (...args: A) => Tensor): Tensor {
  const tracer = activeTracer;
  if (tracer === null || !tracer.enterComposite?.(name, args)) return fn(...args);
  activeTracer = null;
  let out: Tensor;
  try {
    out = fn(...args);
  } finally {
    activeTracer = tracer;
  }
  tracer.composite?.(name, args, out);
  return out;
}

/**
 * Formats a shape as `[2,3]`, the form every tapegrad error message uses.
 *
 * @example
 * fmtShape([2, 3]); // '[2,3]'
 * fmtShape([]); // '[]'
 */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Base class of tapegrad's errors. The message always starts with the operation's name.
 *
 * @example
 * let caught: unknown;
 * try { tensor([1, 2]).reshape([3]); } catch (e) { caught = e; }
 * caught instanceof TapegradError; // true
 * (caught as TapegradError).name; // 'ShapeError'
 */
export class TapegradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit: broadcasting, matmul alignment, reshape sizes, ...
 *
 * @example
 * let caught: unknown;
 * try { matmul(zeros([2, 3]), zeros([4, 5])); } catch (e) { caught = e; }
 * caught instanceof ShapeError; // true
 */
export class ShapeError extends TapegradError {}

/**
 * An operation got a tensor of a dtype it cannot take.
 *
 * @example
 * let caught: unknown;
 * try { zeros([2], { dtype: 'int32' }).requiresGrad_(); } catch (e) { caught = e; }
 * caught instanceof DTypeError; // true
 */
export class DTypeError extends TapegradError {}

/**
 * An argument is out of range or of the wrong kind (a bad dim, a negative size, ...).
 *
 * @example
 * let caught: unknown;
 * try { zeros([2, 3]).sum(2); } catch (e) { caught = e; }
 * caught instanceof ValueError; // true
 * (caught as ValueError).message; // 'sum: dim 2 is out of range for a tensor of 2 dims (shape [2,3])'
 */
export class ValueError extends TapegradError {}

/**
 * The tape was misused: backward through a freed graph, a saved tensor modified in place, ...
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * let caught: unknown;
 * try { y.backward(); } catch (e) { caught = e; } // the graph was freed by the first backward
 * caught instanceof AutogradError; // true
 */
export class AutogradError extends TapegradError {}

/** Formats a shape as `[2,3]`, the form every tapegrad error message uses. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Base class of tapegrad's errors. The message always starts with the operation's name. */
export class TapegradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit: broadcasting, matmul alignment, reshape sizes, ... */
export class ShapeError extends TapegradError {}

/** An operation got a tensor of a dtype it cannot take. */
export class DTypeError extends TapegradError {}

/** An argument is out of range or of the wrong kind (a bad dim, a negative size, ...). */
export class ValueError extends TapegradError {}

/** The tape was misused: backward through a freed graph, a saved tensor modified in place, ... */
export class AutogradError extends TapegradError {}

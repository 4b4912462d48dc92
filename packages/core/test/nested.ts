import type { Tensor } from '@tapegrad/core';

// Nested-array helpers the view and indexing tests build their references with (plain index
// arithmetic, independent of the library).

export type Nested = number | Nested[];

/** Nested arrays of `shape` with entry `f(i, j, ...)`. */
export function build(shape: readonly number[], f: (ix: number[]) => number, prefix: number[] = []): Nested {
  if (prefix.length === shape.length) return f(prefix);
  return Array.from({ length: shape[prefix.length]! }, (_, i) => build(shape, f, [...prefix, i]));
}

/** Element `ix` of nested arrays. */
export function at(a: Nested, ix: readonly number[]): number {
  let p = a;
  for (const i of ix) p = (p as Nested[])[i]!;
  return p as number;
}

/** The values of a tensor as nested arrays. */
export const values = (t: Tensor) => t.toArray() as Nested;

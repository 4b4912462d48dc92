import ndarray from 'ndarray';
import { contiguousStrides } from '../shape.js';
import type { TypedArray, View } from './backend.js';

// ndarray() spends ~140 ns per call identifying the array type (is-buffer checks and
// Object.prototype.toString) before it calls the view class it generated for that type and
// rank; tapegrad makes a few views per op. The class is the same every time, so it is looked up
// once per (array type, rank) and called directly (~2 ns). The argument order (data, sizes,
// strides, offset) is that of ndarray's generated constructors; test/tensor.test.ts checks
// these views against ndarray's own for ranks 0 to 6.

type ViewClass = new (data: TypedArray, ...rest: number[]) => View;

const classes = new Map<unknown, ViewClass[]>();

function viewClass(data: TypedArray, rank: number): ViewClass {
  let byRank = classes.get(data.constructor);
  if (byRank === undefined) classes.set(data.constructor, (byRank = []));
  let C = byRank[rank];
  if (C === undefined) {
    C = (ndarray(data, new Array<number>(rank).fill(0)) as unknown as { constructor: ViewClass }).constructor;
    byRank[rank] = C;
  }
  return C;
}

/**
 * A strided view of `data`, the same object `ndarray(data, shape, stride, offset)` returns,
 * made without ndarray's per-call type detection. Strides default to row-major. @internal
 */
export function makeView(
  data: TypedArray,
  shape: readonly number[],
  stride: readonly number[] = contiguousStrides(shape),
  offset = 0,
): View {
  const s = shape;
  const t = stride;
  switch (s.length) {
    case 0: return new (viewClass(data, 0))(data, offset);
    case 1: return new (viewClass(data, 1))(data, s[0]!, t[0]!, offset);
    case 2: return new (viewClass(data, 2))(data, s[0]!, s[1]!, t[0]!, t[1]!, offset);
    case 3: return new (viewClass(data, 3))(data, s[0]!, s[1]!, s[2]!, t[0]!, t[1]!, t[2]!, offset);
    case 4: return new (viewClass(data, 4))(data, s[0]!, s[1]!, s[2]!, s[3]!, t[0]!, t[1]!, t[2]!, t[3]!, offset);
    default: return ndarray(data, [...s], [...t], offset);
  }
}

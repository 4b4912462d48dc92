import {
  ShapeError, Tensor, ValueError, allocate, fmtShape, promoteTypes, shapesEqual, type DType,
} from '@tapegrad/core';

/**
 * The type {@link defaultCollate} turns a list of samples of type `T` into: tensors and numbers
 * become one tensor with a leading batch dim, strings a list, and tuples and objects are
 * collated field by field.
 *
 * @example
 * const samples: [Tensor, number][] = [[tensor([1, 2]), 0], [tensor([3, 4]), 1]];
 * const batch: Collated<[Tensor, number]> = defaultCollate(samples);
 * batch[0].shape; // [2, 2]
 * batch[1].dtype; // 'int32'
 */
export type Collated<T> = T extends Tensor | number | boolean
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

/**
 * Merges a list of `B` samples into one batch (PyTorch's `default_collate`):
 *
 * - tensors of a common shape `[...S]` are stacked into `[B, ...S]` (dtypes promoted);
 * - numbers become a 1-D tensor `[B]`: `int32` when every number is an integer in the int32
 *   range (class labels), `float32` otherwise. JavaScript has no separate integer type, so a
 *   float target that happens to be whole (e.g. `3`) becomes `int32`: wrap such targets in a
 *   float tensor, or pass your own `collate`;
 * - booleans become a `bool` tensor `[B]`; strings stay a `string[]`;
 * - tuples/arrays (of a common length) and plain objects are collated position by position or key
 *   by key, so `[x, y]` samples give `[xBatch, yBatch]`.
 *
 * The result is not recorded on the autograd tape.
 *
 * @throws ValueError for an empty list, or samples of different kinds, lengths or keys
 * @throws ShapeError when tensors to stack differ in shape
 * @example
 * const [xs, ys] = defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * xs.toArray(); // [[1, 2], [3, 4]]
 * ys.toArray(); // [0, 1]
 * ys.dtype; // 'int32'
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (samples.length === 0) throw new ValueError('defaultCollate: cannot collate an empty list of samples');
  return collateAt(samples as readonly unknown[], 'sample') as Collated<T>;
}

function kindOf(x: unknown): string {
  if (x instanceof Tensor) return 'Tensor';
  if (Array.isArray(x)) return 'array';
  if (x === null) return 'null';
  return typeof x;
}

function collateAt(items: readonly unknown[], where: string): unknown {
  const first = items[0];
  const kind = kindOf(first);
  for (let i = 1; i < items.length; i++) {
    const k = kindOf(items[i]);
    if (k !== kind) throw new ValueError(`defaultCollate: ${where} 0 is a ${kind} but ${where} ${i} is a ${k}`);
  }
  switch (kind) {
    case 'Tensor':
      return stackTensors(items as readonly Tensor[], where);
    case 'number':
      return numbersToTensor(items as readonly number[]);
    case 'boolean': {
      const out = new Uint8Array(items.length);
      items.forEach((b, i) => (out[i] = b ? 1 : 0));
      return Tensor.fromData(out, [items.length], 'bool');
    }
    case 'string':
      return [...(items as readonly string[])];
    case 'array': {
      const arrays = items as readonly unknown[][];
      const len = arrays[0]!.length;
      arrays.forEach((a, i) => {
        if (a.length !== len)
          throw new ValueError(`defaultCollate: ${where} 0 has ${len} fields but ${where} ${i} has ${a.length}`);
      });
      return Array.from({ length: len }, (_, f) => collateAt(arrays.map((a) => a[f]), `${where}[${f}]`));
    }
    case 'object': {
      const objects = items as readonly Record<string, unknown>[];
      const keys = Object.keys(objects[0]!);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        objects.forEach((o, i) => {
          if (!(key in o)) throw new ValueError(`defaultCollate: ${where} ${i} has no field '${key}' (${where} 0 has it)`);
        });
        out[key] = collateAt(objects.map((o) => o[key]), `${where}.${key}`);
      }
      return out;
    }
    default:
      throw new ValueError(`defaultCollate: cannot collate values of type ${kind} (${where} 0)`);
  }
}

/**
 * Stacks equal-shaped tensors along a new leading dim: `B` x `[...S]` -> `[B, ...S]`.
 *
 * @example
 * stackTensors([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 2], [3, 4]]
 */
export function stackTensors(tensors: readonly Tensor[], where = 'sample'): Tensor {
  const shape = tensors[0]!.shape;
  let dtype: DType = tensors[0]!.dtype;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, shape))
      throw new ShapeError(`defaultCollate: cannot stack tensors of different shapes: ${where} 0 has shape ${fmtShape(shape)}, ${where} ${i} has ${fmtShape(t.shape)}`);
    dtype = promoteTypes(dtype, t.dtype);
  });
  const size = tensors[0]!.numel();
  const out = allocate(dtype, tensors.length * size);
  // Typed-array set converts between element types (bool is stored as 0/1 bytes).
  tensors.forEach((t, i) => out.set(t.data, i * size));
  return Tensor.fromData(out, [tensors.length, ...shape], dtype);
}

function numbersToTensor(xs: readonly number[]): Tensor {
  const integral = xs.every((x) => Number.isInteger(x) && x >= -2147483648 && x <= 2147483647);
  const out = integral ? new Int32Array(xs.length) : new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i]!;
  return Tensor.fromData(out, [xs.length], integral ? 'int32' : 'float32');
}

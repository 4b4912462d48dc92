// onnx-proto's and protobufjs 6's declarations name the global \`Long\` of @types/long without a
// reference to it, so a user whose tsconfig lists \`types\` (e.g. ["node"]) would not compile them;
// this directive, kept in dist/proto.d.ts, brings it in (@types/long is a dependency for it).
/// <reference types="long" preserve="true" />
import { DTypeError, Tensor, ValueError, type DType } from '@tapegrad/core';
import protoPkg from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

export type { O };

/**
 * ONNX's protobuf messages (onnx.proto, IR version 8) compiled by protobufjs (package onnx-proto):
 * `onnx.ModelProto.encode(m).finish()` / `.decode(bytes)`, `onnx.TensorProto.DataType`, ...
 *
 * @example
 * const m = onnx.ModelProto.decode(exportOnnx(new ReLU(), randn([2])));
 * m.graph!.node![0]!.opType; // 'Relu'
 * onnx.TensorProto.DataType.FLOAT; // 1
 */
export const onnx = protoPkg.onnx;

/** ONNX's TensorProto.DataType codes. */
export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

const TO_ELEM: Record<DType, number> = { float32: ElemType.FLOAT, float64: ElemType.DOUBLE, int32: ElemType.INT32, bool: ElemType.BOOL };

/** The ONNX element type of a tapegrad dtype. */
export function elemTypeOf(dtype: DType): number {
  return TO_ELEM[dtype];
}

/** The tapegrad dtype of an ONNX element type (int64 and the small integers load as int32). */
export function dtypeOfElem(op: string, elem: number): DType {
  switch (elem) {
    case ElemType.FLOAT:
      return 'float32';
    case ElemType.DOUBLE:
      return 'float64';
    case ElemType.INT32:
    case ElemType.INT64:
    case ElemType.INT8:
    case ElemType.UINT8:
      return 'int32';
    case ElemType.BOOL:
      return 'bool';
    default:
      throw new DTypeError(`${op}: ONNX element type ${elem} is not supported (float, double, int8/uint8/int32/int64, bool are)`);
  }
}

/** A protobuf int64 (a number or a Long) as a number. */
export function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v == null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** A tensor as a TensorProto (raw little-endian data), named `name`. */
export function tensorProto(name: string, t: Tensor): O.ITensorProto {
  const c = t.contiguous();
  const data = c.data;
  let raw: Uint8Array;
  if (t.dtype === 'bool') raw = Uint8Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  else {
    const copy = (data as Float32Array).slice(0, c.numel());
    raw = new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
  }
  return { name, dims: t.shape.slice(), dataType: elemTypeOf(t.dtype), rawData: raw };
}

/** An int64 tensor (shapes, axes) as a TensorProto. */
export function int64Proto(name: string, values: readonly number[], dims: number[] = [values.length]): O.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims, dataType: ElemType.INT64, rawData: raw };
}

/** The values of a TensorProto as a tapegrad tensor (int64 as int32, refusing values out of its range). */
export function tensorFromProto(op: string, p: O.ITensorProto): Tensor {
  const dims = (p.dims ?? []).map(num);
  const elem = p.dataType ?? 0;
  const dtype = dtypeOfElem(op, elem);
  const n = dims.reduce((a, b) => a * b, 1);
  if (p.dataLocation === protoPkg.onnx.TensorProto.DataLocation.EXTERNAL)
    throw new ValueError(`${op}: tensor '${p.name}' keeps its data in an external file, which is not supported`);
  const raw = p.rawData && p.rawData.length > 0 ? p.rawData : null;
  const out = Tensor.fromData(readValues(op, p, elem, raw, n), dims, dtype);
  return out;
}

function readValues(op: string, p: O.ITensorProto, elem: number, raw: Uint8Array | null, n: number): Float32Array | Float64Array | Int32Array | Uint8Array {
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  switch (elem) {
    case ElemType.FLOAT: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view ? view.getFloat32(i * 4, true) : p.floatData![i]!;
      return out;
    }
    case ElemType.DOUBLE: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view ? view.getFloat64(i * 8, true) : p.doubleData![i]!;
      return out;
    }
    case ElemType.INT64: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view ? Number(view.getBigInt64(i * 8, true)) : num(p.int64Data![i]);
        if (v > 2147483647 || v < -2147483648) throw new ValueError(`${op}: int64 value ${v} of tensor '${p.name}' does not fit int32`);
        out[i] = v;
      }
      return out;
    }
    case ElemType.BOOL: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (view ? view.getUint8(i) : p.int32Data![i]!) ? 1 : 0;
      return out;
    }
    default: {
      // int32, int8, uint8: int32_data holds them unpacked; raw data holds them at their size.
      const out = new Int32Array(n);
      const size = elem === ElemType.INT32 ? 4 : 1;
      for (let i = 0; i < n; i++)
        out[i] = view ? (size === 4 ? view.getInt32(i * 4, true) : elem === ElemType.INT8 ? view.getInt8(i) : view.getUint8(i)) : p.int32Data![i]!;
      return out;
    }
  }
}

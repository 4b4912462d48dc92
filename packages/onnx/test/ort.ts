import { Tensor } from '@tapegrad/core';
import ort from 'onnxruntime-node';

const ORT_TYPE = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const;

/** Runs ONNX bytes in ONNX Runtime for Node on named tapegrad inputs; returns the outputs as tapegrad tensors. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) {
    const c = t.contiguous();
    inputs[k] = new ort.Tensor(ORT_TYPE[t.dtype], (c.data as Float32Array).slice(0, c.numel()), t.shape);
  }
  const res = await session.run(inputs);
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(res)) {
    const dtype = v.type === 'float64' ? 'float64' : v.type === 'int32' ? 'int32' : v.type === 'bool' ? 'bool' : 'float32';
    out[k] = Tensor.fromData(v.data as Float32Array, [...v.dims], dtype);
  }
  await session.release();
  return out;
}

/** The largest |a - b| over two tensors of one shape. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`maxAbsDiff: shapes [${a.shape}] and [${b.shape}] differ`);
  const x = a.contiguous().data as Float32Array, y = b.contiguous().data as Float32Array;
  let m = 0;
  for (let i = 0; i < a.numel(); i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

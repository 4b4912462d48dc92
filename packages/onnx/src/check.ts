import { ValueError } from '@tapegrad/core';
import { ElemType, num, onnx, type O } from './proto.js';

/**
 * The ONNX operators of the default domain that tapegrad exports or imports: the first opset
 * with the form tapegrad writes and reads (e.g. Clip's bounds as inputs: 11; ReduceSum's axes as
 * an input: 13; LayerNormalization: 17) and their number of inputs, min to max.
 *
 * @example
 * OPERATORS.LayerNormalization.since; // 17
 * OPERATORS.Gemm.inputs; // [2, 3]
 */
export const OPERATORS: Record<string, { since: number; inputs: [number, number] }> = {
  Abs: { since: 1, inputs: [1, 1] }, ArgMax: { since: 1, inputs: [1, 1] }, ArgMin: { since: 1, inputs: [1, 1] }, And: { since: 7, inputs: [2, 2] }, Equal: { since: 11, inputs: [2, 2] },
  Greater: { since: 9, inputs: [2, 2] }, GreaterOrEqual: { since: 12, inputs: [2, 2] }, Less: { since: 9, inputs: [2, 2] },
  LessOrEqual: { since: 12, inputs: [2, 2] }, Not: { since: 1, inputs: [1, 1] }, Or: { since: 7, inputs: [2, 2] }, Xor: { since: 7, inputs: [2, 2] }, Add: { since: 1, inputs: [2, 2] }, AveragePool: { since: 1, inputs: [1, 1] },
  BatchNormalization: { since: 1, inputs: [5, 5] }, Cast: { since: 6, inputs: [1, 1] }, Ceil: { since: 1, inputs: [1, 1] },
  Clip: { since: 11, inputs: [1, 3] }, Concat: { since: 4, inputs: [1, Infinity] }, Constant: { since: 1, inputs: [0, 0] }, ConstantOfShape: { since: 9, inputs: [1, 1] },
  Conv: { since: 1, inputs: [2, 3] }, ConvTranspose: { since: 1, inputs: [2, 3] }, Cos: { since: 1, inputs: [1, 1] }, Div: { since: 1, inputs: [2, 2] },
  Dropout: { since: 12, inputs: [1, 3] }, Elu: { since: 1, inputs: [1, 1] }, Erf: { since: 9, inputs: [1, 1] },
  Exp: { since: 1, inputs: [1, 1] }, Expand: { since: 8, inputs: [2, 2] }, Flatten: { since: 1, inputs: [1, 1] },
  Floor: { since: 1, inputs: [1, 1] }, Gather: { since: 1, inputs: [2, 2] }, Gemm: { since: 7, inputs: [2, 3] },
  GlobalAveragePool: { since: 1, inputs: [1, 1] }, GlobalMaxPool: { since: 1, inputs: [1, 1] }, Identity: { since: 1, inputs: [1, 1] },
  LayerNormalization: { since: 17, inputs: [2, 3] }, LeakyRelu: { since: 1, inputs: [1, 1] }, Log: { since: 1, inputs: [1, 1] },
  LogSoftmax: { since: 1, inputs: [1, 1] }, MatMul: { since: 1, inputs: [2, 2] }, Max: { since: 1, inputs: [1, Infinity] },
  MaxPool: { since: 10, inputs: [1, 1] }, Min: { since: 1, inputs: [1, Infinity] }, Mul: { since: 1, inputs: [2, 2] },
  Neg: { since: 1, inputs: [1, 1] }, Pad: { since: 11, inputs: [2, 3] }, Pow: { since: 1, inputs: [2, 2] },
  Reciprocal: { since: 1, inputs: [1, 1] }, ReduceMax: { since: 1, inputs: [1, 1] }, ReduceMean: { since: 1, inputs: [1, 1] },
  ReduceMin: { since: 1, inputs: [1, 1] }, ReduceSum: { since: 13, inputs: [1, 2] }, Relu: { since: 1, inputs: [1, 1] },
  Reshape: { since: 5, inputs: [2, 2] }, Shape: { since: 1, inputs: [1, 1] }, Sigmoid: { since: 1, inputs: [1, 1] },
  Sign: { since: 9, inputs: [1, 1] }, Sin: { since: 1, inputs: [1, 1] }, Slice: { since: 10, inputs: [3, 5] },
  Softmax: { since: 1, inputs: [1, 1] }, Softplus: { since: 1, inputs: [1, 1] }, Sqrt: { since: 1, inputs: [1, 1] },
  Squeeze: { since: 13, inputs: [1, 2] }, Sub: { since: 1, inputs: [2, 2] }, Sum: { since: 1, inputs: [1, Infinity] },
  Tanh: { since: 1, inputs: [1, 1] }, Transpose: { since: 1, inputs: [1, 1] }, Unsqueeze: { since: 13, inputs: [2, 2] },
  Where: { since: 9, inputs: [3, 3] }, CumSum: { since: 11, inputs: [2, 2] }, GatherElements: { since: 11, inputs: [2, 2] },
  ScatterElements: { since: 11, inputs: [3, 3] }, ReduceLogSumExp: { since: 1, inputs: [1, 1] }, Mod: { since: 10, inputs: [2, 2] },
};

const ELEM_SIZE: Record<number, number> = {
  [ElemType.FLOAT]: 4, [ElemType.DOUBLE]: 8, [ElemType.INT32]: 4, [ElemType.INT64]: 8, [ElemType.BOOL]: 1, [ElemType.INT8]: 1, [ElemType.UINT8]: 1,
};

/**
 * Checks the structure of an ONNX model and lists what is wrong (empty when nothing is): the IR
 * version and opset import, every node's operator (known, available in the model's opset, with
 * its number of inputs), that every input a node reads is a graph input, an initializer or the
 * output of an earlier node (topological order), that each value is defined once, that the graph
 * outputs are defined, and that each initializer holds as many values as its dims say. It is no
 * substitute for ONNX's own `onnx.checker` (no type or shape inference), but it must pass for
 * every model tapegrad exports.
 *
 * @example
 * const m = exportModelProto(new Sequential(new Linear(3, 2), new ReLU()), randn([4, 3]));
 * checkModel(m); // []
 * m.graph!.node![1]!.input = ['nowhere'];
 * checkModel(m); // ["node 1 (Relu) reads 'nowhere', which is not defined before it"]
 */
export function checkModel(model: O.IModelProto | Uint8Array): string[] {
  const m = model instanceof Uint8Array ? onnx.ModelProto.decode(model) : model;
  const problems: string[] = [];
  const ir = num(m.irVersion);
  if (ir < 7) problems.push(`irVersion ${ir} is below 7 (opset 13 needs IR version 7 or later)`);
  const opset = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const version = opset ? num(opset.version) : 0;
  if (!opset) problems.push('no opset_import for the default domain');
  const g = m.graph;
  if (!g) return [...problems, 'the model has no graph'];
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (!name) problems.push(`${what} has an empty name`);
    else if (defined.has(name)) problems.push(`${what} defines '${name}', which is already defined`);
    defined.add(name);
  };
  for (const t of g.initializer ?? []) {
    define(t.name ?? '', `initializer '${t.name}'`);
    const n = (t.dims ?? []).map(num).reduce((a, b) => a * b, 1);
    const size = ELEM_SIZE[t.dataType ?? 0];
    if (size === undefined) problems.push(`initializer '${t.name}' has unsupported data type ${t.dataType}`);
    const have =
      t.rawData && t.rawData.length > 0 ? t.rawData.length / (size ?? 1)
        : (t.floatData?.length ?? 0) + (t.doubleData?.length ?? 0) + (t.int32Data?.length ?? 0) + (t.int64Data?.length ?? 0);
    if (size !== undefined && have !== n) problems.push(`initializer '${t.name}' holds ${have} values for dims [${(t.dims ?? []).map(num)}] (${n})`);
  }
  for (const v of g.input ?? []) {
    if (defined.has(v.name ?? '') && (g.initializer ?? []).some((t) => t.name === v.name)) continue; // an input with a default value
    define(v.name ?? '', `graph input '${v.name}'`);
    if (!v.type?.tensorType?.elemType) problems.push(`graph input '${v.name}' has no tensor element type`);
  }
  (g.node ?? []).forEach((n, i) => {
    const op = n.opType ?? '';
    const what = `node ${i} (${op})`;
    const spec = n.domain && n.domain !== 'ai.onnx' ? undefined : OPERATORS[op];
    if (!spec) problems.push(`${what}: operator ${n.domain ? `${n.domain}.` : ''}${op} is not one tapegrad knows`);
    else {
      if (version && spec.since > version) problems.push(`${what}: operator ${op} (as tapegrad writes it) needs opset ${spec.since}, the model imports opset ${version}`);
      const k = (n.input ?? []).length;
      if (k < spec.inputs[0] || k > spec.inputs[1]) problems.push(`${what}: ${k} inputs, ${op} takes ${spec.inputs[0]} to ${spec.inputs[1]}`);
    }
    for (const x of n.input ?? []) if (x !== '' && !defined.has(x)) problems.push(`${what} reads '${x}', which is not defined before it`);
    for (const y of n.output ?? []) if (y !== '') define(y, what);
  });
  for (const v of g.output ?? []) {
    if (!defined.has(v.name ?? '')) problems.push(`graph output '${v.name}' is not defined`);
    if (!v.type?.tensorType?.elemType) problems.push(`graph output '${v.name}' has no tensor element type`);
  }
  return problems;
}

/**
 * Throws a ValueError listing the problems {@link checkModel} finds, if any.
 *
 * @throws ValueError `checkModel: 1 problem: node 1 (Relu) reads 'nowhere', ...`
 * @example
 * assertValidModel(exportOnnx(new ReLU(), randn([2]))); // passes
 */
export function assertValidModel(model: O.IModelProto | Uint8Array): void {
  const p = checkModel(model);
  if (p.length) throw new ValueError(`checkModel: ${p.length} problem${p.length > 1 ? 's' : ''}: ${p.join('; ')}`);
}

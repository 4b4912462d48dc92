import {
  Tensor, ValueError, cat, checkOptions, defineOptions, fmtShape, noGrad, setTracer, type Tracer,
} from '@tapegrad/core';
import type { AnyModule } from '@tapegrad/nn';
import { GraphBuilder, type Attr, type TraceNode } from './graph.js';
import { MODULES, PRIMITIVES } from './export-ops.js';
import { ElemType, elemTypeOf, onnx, tensorProto as tensorProtoOf, type O } from './proto.js';

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * const opts: ExportOnnxOptions = { inputNames: ['pixels'], outputNames: ['logits'], dynamicAxes: { pixels: { 0: 'batch' } }, opsetVersion: 17 };
 * decodeModel(exportOnnx(new Linear(4, 2), randn([1, 4]), opts)).graph!.output![0]!.name; // 'logits'
 */
export interface ExportOnnxOptions {
  /** Names of the graph inputs, one per example input (default `input`, or `input_0`, `input_1`, ...). */
  inputNames?: string[];
  /** Names of the graph outputs (default `output`, or `output_0`, ...). */
  outputNames?: string[];
  /**
   * Axes whose size may differ from the example's, by input name: `{ input: { 0: 'batch' } }` or
   * `{ input: [0] }` (named `input_dim0`). Output axes that follow them become dynamic too.
   */
  dynamicAxes?: Record<string, Record<number, string> | number[]>;
  /** The ONNX opset (default 17; 13 to 17 are supported). */
  opsetVersion?: number;
  /** The graph's name (default the model's type name). */
  graphName?: string;
}

const EXPORT = defineOptions('exportOnnx', {
  inputNames: 'string[]', outputNames: 'string[]', dynamicAxes: 'object', opsetVersion: 'integer', graphName: 'string',
});

/**
 * The default opset of {@link exportOnnx} (13 to 17 are supported).
 *
 * @example
 * DEFAULT_OPSET; // 17
 */
export const DEFAULT_OPSET = 17;
const MIN_OPSET = 13;
const MAX_OPSET = 17;

interface Trace {
  b: GraphBuilder;
  inputs: Tensor[];
  outputs: Tensor[];
  outputNames: string[];
}

/** Runs `model` once on `inputs` with the tracer installed and module forwards intercepted. */
function trace(model: AnyModule, inputs: Tensor[], inputNames: string[], opset: number): Trace {
  const b = new GraphBuilder(opset, Object.entries(model.stateDict()));
  inputs.forEach((x, i) => b.defineInput(x, inputNames[i]!));
  let depth = 0; // > 0 while a module exporter runs its module untraced
  const tracer: Tracer = {
    primitive(name, args, out) {
      if (depth > 0) return;
      const fn = PRIMITIVES[name];
      b.currentOp = name;
      if (!fn) throw new ValueError(`exportOnnx: op '${name}' has no ONNX mapping (called ${b.where()})`);
      fn(b, args, out);
      b.currentOp = '';
    },
    enterComposite: (name) => depth === 0 && name in PRIMITIVES,
    composite(name, args, out) {
      this.primitive(name, args, out);
    },
  };
  const restore: Array<() => void> = [];
  for (const [path, m] of model.namedModules()) {
    const label = path === '' ? `the model (${m.typeName()})` : `'${path}' (${m.typeName()})`;
    const exporter = MODULES.find(([cls]) => m instanceof cls)?.[1];
    const own = Object.prototype.hasOwnProperty.call(m, 'forward');
    const prevForward = (m as { forward: unknown }).forward;
    const original = (m.forward as (...a: unknown[]) => unknown).bind(m);
    (m as { forward: unknown }).forward = (...args: unknown[]) => {
      if (depth > 0) return original(...args);
      b.moduleStack.push(label);
      try {
        if (exporter) {
          let result: unknown;
          const run = () => {
            depth++;
            try {
              result = original(...args);
            } finally {
              depth--;
            }
            return result as Tensor;
          };
          b.currentOp = m.typeName();
          const done = exporter(b, m, args, run);
          b.currentOp = '';
          if (done) return result;
        }
        return original(...args);
      } finally {
        b.moduleStack.pop();
      }
    };
    restore.push(() => {
      if (own) (m as { forward: unknown }).forward = prevForward;
      else delete (m as { forward?: unknown }).forward;
    });
  }
  const prevTracer = setTracer(tracer);
  let result: unknown;
  try {
    result = noGrad(() => model.call(...inputs));
  } finally {
    setTracer(prevTracer);
    for (const r of restore) r();
  }
  const outputs = result instanceof Tensor ? [result] : Array.isArray(result) ? result : null;
  if (!outputs || !outputs.every((o) => o instanceof Tensor))
    throw new ValueError(`exportOnnx: the model must return a Tensor or an array of Tensors, got ${result === null ? 'null' : typeof result}`);
  const outputNames = outputs.map((o: Tensor) => {
    if (!b.has(o)) throw new ValueError(`exportOnnx: an output of shape ${fmtShape(o.shape)} was not computed from the inputs by traced ops`);
    return b.in(o);
  });
  return { b, inputs, outputs, outputNames };
}

/** `x` with other values of the same shape and dtype (floats shifted by a fixed pattern, others rotated by one). */
function perturb(x: Tensor): Tensor {
  const c = x.contiguous();
  const n = c.numel();
  const data = (c.data as Float32Array).slice(0, n);
  const out = data.slice();
  // Values in [0, 1] (probabilities, masks) stay there, so that a forward that checks its
  // inputs' range (binaryCrossEntropy) traces on the other values too.
  const unit = data.every((v) => v >= 0 && v <= 1);
  if (x.dtype === 'float32' || x.dtype === 'float64')
    for (let i = 0; i < n; i++) {
      const s = Math.sin(i * 12.9898 + 0.5);
      out[i] = unit ? 0.5 * data[i]! + 0.25 * (1 + s) : data[i]! + s;
    }
  else for (let i = 0; i < n; i++) out[i] = data[(i + 1) % n]!;
  return Tensor.fromData(out, x.shape, x.dtype);
}

/**
 * Checks that tracing on other input values gives the same graph: a constant that differs was
 * computed from the inputs by something the tracer does not see, and would freeze one input's result.
 */
/** Where two traces of different lengths part: the first op (of the longer one) that differs. */
function divergence(a: GraphBuilder, v: GraphBuilder): string {
  const [short, long] = a.nodes.length <= v.nodes.length ? [a, v] : [v, a];
  const i = long.nodes.findIndex((n, k) => k >= short.nodes.length || n.opType !== short.nodes[k]!.opType);
  return `the forward takes another path from ${long.nodes[i]!.where}`;
}

function checkDataIndependent(a: GraphBuilder, v: GraphBuilder): void {
  const fail = (what: string, where: string) =>
    new ValueError(
      `exportOnnx: ${what} depends on the input values (${where}): it is computed by an op the tracer does not see ` +
        '(or the forward branches on the data), so the graph would hold the example input\'s result',
    );
  if (a.nodes.length !== v.nodes.length) throw fail(`the number of ops (${a.nodes.length} vs ${v.nodes.length})`, divergence(a, v));
  a.nodes.forEach((n, i) => {
    const m = v.nodes[i]!;
    if (n.opType !== m.opType || n.inputs.join() !== m.inputs.join() || !attrsEqual(n.attrs, m.attrs)) throw fail(`${n.opType} vs ${m.opType}`, n.where);
  });
  for (const [name, c] of a.consts) if (v.consts.get(name)?.key !== c.key) throw fail(`a constant (${c.key.slice(0, 60)})`, c.where);
}

/** `x` with each dynamic axis `by` longer (its first slice appended), to trace again. */
function grow(x: Tensor, axes: number[], by: number): Tensor {
  let y = x;
  for (const a of axes) if (y.shape[a] !== 0) for (let i = 0; i < by; i++) y = cat([y, y.narrow(a, 0, 1)], a);
  return y;
}

function attrsEqual(a: Record<string, Attr>, b: Record<string, Attr>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares the trace with the example inputs (`a`) against the one with the dynamic axes grown
 * (`g`): the graphs must be the same but for shape constants, which are rewritten to follow the
 * input (Reshape's 0 and -1, Expand's 1); any other difference would bake one size into the graph.
 */
/** A dynamic input axis and its sizes in the two traces. */
interface DynamicAxis {
  input: string;
  axis: number;
  /** Its size in the example, in the second trace (one longer) and in the third (two longer). */
  a: number;
  g: number;
  c: number;
}

/**
 * Replaces the int64 constant `name` (Slice starts and ends, say) whose entries are affine in a
 * dynamic axis size (`t * N`, `(t + 1) * N`) by those entries computed from the input's shape.
 * The rule found from the first two traces must also give the third trace's values.
 */
function affineFromInputs(a: GraphBuilder, name: string, va: number[], vg: number[], vc: number[], dyn: DynamicAxis[]): boolean {
  if (va.length !== vg.length || va.length !== vc.length) return false;
  const where = a.consts.get(name)!.where;
  const pieces: Array<number | { d: DynamicAxis; p: number; q: number }> = [];
  for (let i = 0; i < va.length; i++) {
    if (va[i] === vg[i]) {
      if (vc[i] !== va[i]) return false;
      pieces.push(va[i]!);
      continue;
    }
    const fit = dyn
      .map((d) => ({ d, p: (va[i]! - vg[i]!) / (d.a - d.g) }))
      .find(({ d, p }) => Number.isInteger(p) && vc[i] === p * d.c + (va[i]! - p * d.a));
    if (!fit) return false;
    pieces.push({ ...fit, q: va[i]! - fit.p * fit.d.a });
  }
  const nodes: TraceNode[] = [];
  const parts = pieces.map((piece, i) => {
    if (typeof piece === 'number') return a.ints([piece]);
    const { d, p, q } = piece;
    const dim = `${name}_${i}_size`;
    nodes.push({ opType: 'Shape', inputs: [d.input], outputs: [`${dim}_shape`], attrs: {}, where });
    nodes.push({ opType: 'Gather', inputs: [`${dim}_shape`, a.ints([d.axis])], outputs: [dim], attrs: { axis: 0 }, where });
    nodes.push({ opType: 'Mul', inputs: [dim, a.ints([p])], outputs: [`${dim}_times`], attrs: {}, where });
    nodes.push({ opType: 'Add', inputs: [`${dim}_times`, a.ints([q])], outputs: [`${name}_${i}`], attrs: {}, where });
    return `${name}_${i}`;
  });
  nodes.push({ opType: 'Concat', inputs: parts, outputs: [name], attrs: { axis: 0 }, where });
  a.consts.delete(name);
  a.nodes.unshift(...nodes);
  return true;
}

/**
 * Replaces the filled constant `name` (zeros of shape [layers, N, H], say) whose dims follow
 * dynamic input axes by `ConstantOfShape` of a shape read from the inputs, computed first in the graph.
 */
function filledFromInputs(a: GraphBuilder, name: string, shapeA: number[], shapeG: number[], proto: O.ITensorProto, dyn: DynamicAxis[]): boolean {
  if (shapeA.length !== shapeG.length) return false;
  const pieces: Array<number | DynamicAxis> = [];
  for (let i = 0; i < shapeA.length; i++) {
    if (shapeA[i] === shapeG[i]) pieces.push(shapeA[i]!);
    else {
      const d = dyn.find((x) => x.a === shapeA[i] && x.g === shapeG[i]);
      if (!d) return false;
      pieces.push(d);
    }
  }
  const nodes: TraceNode[] = [];
  const where = a.consts.get(name)!.where;
  const parts = pieces.map((p, i) => {
    if (typeof p === 'number') return a.ints([p]);
    const shape = `${name}_shape_of_${p.input}`;
    const out = `${name}_dim${i}`;
    nodes.push({ opType: 'Shape', inputs: [p.input], outputs: [shape], attrs: {}, where });
    nodes.push({ opType: 'Gather', inputs: [shape, a.ints([p.axis])], outputs: [out], attrs: { axis: 0 }, where });
    return out;
  });
  nodes.push({ opType: 'Concat', inputs: parts, outputs: [`${name}_shape`], attrs: { axis: 0 }, where });
  const size = ({ [ElemType.DOUBLE]: 8, [ElemType.BOOL]: 1 } as Record<number, number>)[proto.dataType!] ?? 4;
  const value: O.ITensorProto = { dims: [1], dataType: proto.dataType, rawData: proto.rawData!.length ? proto.rawData!.slice(0, size) : new Uint8Array(size) };
  nodes.push({ opType: 'ConstantOfShape', inputs: [`${name}_shape`], outputs: [name], attrs: { value: { tensor: value } }, where });
  a.consts.delete(name);
  a.nodes.unshift(...nodes);
  return true;
}

function generalize(a: GraphBuilder, g: GraphBuilder, third: GraphBuilder, dyn: DynamicAxis[]): void {
  const differ = (what: string, where: string) =>
    new ValueError(`exportOnnx: ${what} changes with the size of the dynamic axes (${where}); the graph cannot follow them`);
  if (a.nodes.length !== g.nodes.length || a.nodes.length !== third.nodes.length)
    throw differ(`the number of ops (${a.nodes.length} vs ${g.nodes.length} vs ${third.nodes.length})`, divergence(a, a.nodes.length !== g.nodes.length ? g : third));
  const fixes = new Map<string, [TraceNode, TraceNode]>();
  a.nodes.forEach((n, i) => {
    const m = g.nodes[i]!;
    if (n.opType !== m.opType || n.inputs.join() !== m.inputs.join() || !attrsEqual(n.attrs, m.attrs))
      throw differ(`${n.opType} (attributes ${JSON.stringify(n.attrs)} vs ${JSON.stringify(m.attrs)})`, n.where);
    if (n.shapeFix) fixes.set(n.shapeFix.constName, [n, m]);
  });
  for (const [name, c] of [...a.consts]) {
    const d = g.consts.get(name);
    if (d && d.key === c.key) continue;
    const [n, other] = fixes.get(name) ?? [];
    const m = other?.shapeFix;
    if (!n || !m) {
      if (d && c.fill !== undefined && d.fill === c.fill && c.dtype === d.dtype && filledFromInputs(a, name, c.shape!, d.shape!, c.proto, dyn)) continue;
      const e = third.consts.get(name);
      if (c.ints && d?.ints && e?.ints && affineFromInputs(a, name, c.ints, d.ints, e.ints, dyn)) continue;
      throw differ(`a constant (${c.key.slice(0, 60)})`, c.where);
    }
    const f = n.shapeFix!;
    const target = f.target.map((v, i) => {
      if (v === m.target[i]) return v;
      if (f.kind === 'reshape') return i < f.inShape.length && v === f.inShape[i] && m.target[i] === m.inShape[i] ? 0 : -1;
      const j = i - (f.target.length - f.inShape.length); // Expand aligns shapes from the right
      if (j >= 0 && f.inShape[j] === v && m.inShape[j] === m.target[i]) return 1;
      throw differ(`the shape of an expand (${fmtShape(f.target)} vs ${fmtShape(m.target)})`, n.where);
    });
    if (target.filter((v) => v === -1).length > 1)
      throw differ(`the shape of a reshape (${fmtShape(f.target)} vs ${fmtShape(m.target)})`, n.where);
    const fixed = a.ints(target);
    a.consts.set(name, { ...a.consts.get(fixed)!, proto: { ...a.consts.get(fixed)!.proto, name } });
    a.consts.delete(fixed);
  }
}

function attribute(name: string, v: Attr): O.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('tensor' in v) return { name, type: T.TENSOR, t: v.tensor };
  return { name, type: T.FLOAT, f: v.float };
}

function valueInfo(name: string, t: Tensor, dims: Array<number | string>): O.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: elemTypeOf(t.dtype), shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

/**
 * Exports `model` to an ONNX model (the bytes of a `ModelProto`) by tracing one forward call on
 * `exampleInputs`: every op called records its ONNX node, `Linear` exports as `Gemm`, batch norms
 * as `BatchNormalization`, `LayerNorm` as `LayerNormalization` (opset 17), and parameters and
 * buffers become initializers named by their `stateDict` keys. The model runs in eval mode
 * (dropout is the identity) and is put back as it was.
 *
 * With `dynamicAxes`, the model is traced twice more with those axes one and two longer, and the
 * constants that follow them are written relative to the input: reshape and expand shapes (0, -1,
 * 1), constants filled with one value (`ConstantOfShape` of the input's shape), integer constants
 * affine in an axis size (slice bounds `t * N`, computed from `Shape`). Anything else that depends
 * on their size is an error rather than a graph that works for one size only. The model is also
 * traced on other input values: a constant that changes with them (computed by something the
 * tracer does not see) is an error too.
 *
 * @param model - the module to export (its forward takes the inputs and returns a Tensor or an array of Tensors)
 * @param exampleInputs - one Tensor or one per forward argument
 * @throws ValueError naming the op and the module path of an op without an ONNX mapping, or an
 * option out of range, or a dependence on a dynamic axis the graph cannot express
 * @example
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3), new Softmax(-1));
 * const bytes = exportOnnx(model, randn([2, 4]), { dynamicAxes: { input: { 0: 'batch' } } });
 * bytes instanceof Uint8Array; // true
 * const m = decodeModel(bytes);
 * m.graph!.node!.map((n) => n.opType); // ['Gemm', 'Relu', 'Gemm', 'Softmax']
 * m.graph!.initializer!.map((t) => t.name); // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export function exportOnnx(model: AnyModule, exampleInputs: Tensor | Tensor[], opts?: ExportOnnxOptions): Uint8Array {
  return onnx.ModelProto.encode(exportModelProto(model, exampleInputs, opts)).finish();
}

/**
 * Like {@link exportOnnx}, but returns the `ModelProto` object (to inspect or change before
 * encoding it with `onnx.ModelProto.encode(m).finish()`).
 *
 * @throws ValueError as {@link exportOnnx}
 * @example
 * const m = exportModelProto(new Linear(3, 2), randn([5, 3]));
 * m.opsetImport![0]!.version; // 17
 * m.graph!.input![0]!.name; // 'input'
 */
export function exportModelProto(model: AnyModule, exampleInputs: Tensor | Tensor[], opts?: ExportOnnxOptions): O.IModelProto {
  opts = checkOptions(EXPORT, opts);
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs;
  if (!Array.isArray(inputs) || !inputs.every((x) => x instanceof Tensor))
    throw new ValueError('exportOnnx: exampleInputs must be a Tensor or an array of Tensors');
  const opset = opts.opsetVersion ?? DEFAULT_OPSET;
  if (opset < MIN_OPSET || opset > MAX_OPSET)
    throw new ValueError(`exportOnnx: opsetVersion ${opset} is not supported (${MIN_OPSET} to ${MAX_OPSET} are)`);
  const inputNames = opts.inputNames ?? (inputs.length === 1 ? ['input'] : inputs.map((_, i) => `input_${i}`));
  if (inputNames.length !== inputs.length)
    throw new ValueError(`exportOnnx: ${inputNames.length} inputNames for ${inputs.length} example inputs`);
  const dynamic = new Map<string, Map<number, string>>();
  for (const [name, axes] of Object.entries(opts.dynamicAxes ?? {})) {
    const i = inputNames.indexOf(name);
    if (i < 0) throw new ValueError(`exportOnnx: dynamicAxes names '${name}', which is not an input (inputs: ${inputNames.join(', ')})`);
    const entries: Array<[number, string]> = Array.isArray(axes) ? axes.map((a) => [a, `${name}_dim${a}`]) : Object.entries(axes).map(([a, s]) => [Number(a), s]);
    const nd = inputs[i]!.ndim;
    for (const [a] of entries)
      if (!Number.isInteger(a) || a < 0 || a >= nd) throw new ValueError(`exportOnnx: dynamic axis ${a} of '${name}' is out of range for shape ${fmtShape(inputs[i]!.shape)}`);
    dynamic.set(name, new Map(entries));
  }

  const modes = model.modules().map((m) => m.training);
  model.eval();
  let main: Trace;
  let grown: Trace | null = null;
  let third: Trace | null = null;
  try {
    main = trace(model, inputs, inputNames, opset);
    checkDataIndependent(main.b, trace(model, inputs.map(perturb), inputNames, opset).b);
    if (dynamic.size > 0) {
      const axesOf = (i: number) => [...(dynamic.get(inputNames[i]!)?.keys() ?? [])];
      grown = trace(model, inputs.map((x, i) => grow(x, axesOf(i), 1)), inputNames, opset);
      third = trace(model, inputs.map((x, i) => grow(x, axesOf(i), 2)), inputNames, opset);
    }
  } finally {
    model.modules().forEach((m, i) => (m.training = modes[i]!));
  }
  const b = main.b;
  if (grown) {
    const dyn: DynamicAxis[] = [];
    for (const [input, axes] of dynamic) {
      const k = inputNames.indexOf(input);
      for (const axis of axes.keys())
        dyn.push({ input, axis, a: main.inputs[k]!.shape[axis]!, g: grown.inputs[k]!.shape[axis]!, c: third!.inputs[k]!.shape[axis]! });
    }
    generalize(b, grown.b, third!.b, dyn);
  }
  if (grown && grown.outputs.length !== main.outputs.length) throw new ValueError('exportOnnx: the number of outputs changes with the size of the dynamic axes');

  const outputNames = opts.outputNames ?? (main.outputs.length === 1 ? ['output'] : main.outputs.map((_, i) => `output_${i}`));
  if (outputNames.length !== main.outputs.length)
    throw new ValueError(`exportOnnx: ${outputNames.length} outputNames for ${main.outputs.length} model outputs`);
  // Name the outputs: rename the value where a node makes it, otherwise (an input, an initializer,
  // a value returned twice) add an Identity.
  const rename = new Map<string, string>();
  main.outputNames.forEach((v, i) => {
    const made = b.nodes.some((n) => n.outputs.includes(v));
    if (made && !rename.has(v)) rename.set(v, outputNames[i]!);
    else b.nodes.push({ opType: 'Identity', inputs: [rename.get(v) ?? v], outputs: [outputNames[i]!], attrs: {}, where: 'outputs' });
  });
  const sym = (x: string) => rename.get(x) ?? x;

  const dimsOf = (t: Tensor, other: Tensor | undefined, axes: Map<number, string> | undefined, name: string) =>
    t.shape.map((d, i) => {
      const named = axes?.get(i);
      if (named) return named;
      if (!other || other.shape[i] === d) return d;
      // An output axis that changed: the input axis it follows, if one changed the same way.
      for (const [input, ax] of dynamic) {
        const k = inputNames.indexOf(input);
        for (const [a, s] of ax) if (main.inputs[k]!.shape[a] === d && grown!.inputs[k]!.shape[a] === other.shape[i]) return s;
      }
      return `${name}_dim${i}`;
    });

  const graph: O.IGraphProto = {
    name: opts.graphName ?? model.typeName(),
    node: b.nodes.map((n, i) => ({
      name: `${n.outputs[0]!.replace(/_output_0$/, '')}` || `node_${i}`,
      opType: n.opType,
      input: n.inputs.map(sym),
      output: n.outputs.map(sym),
      attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
    })),
    initializer: [
      ...[...b.inits].map(([key, t]) => tensorProtoOf(key, t)),
      ...[...b.consts.values()].map((c) => c.proto),
    ],
    input: main.inputs.map((x, i) => valueInfo(inputNames[i]!, x, dimsOf(x, undefined, dynamic.get(inputNames[i]!), inputNames[i]!))),
    output: main.outputs.map((o, i) => valueInfo(outputNames[i]!, o, dimsOf(o, grown?.outputs[i], undefined, outputNames[i]!))),
  };
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'tapegrad',
    producerVersion: '0.1.0',
    graph,
  };
}

/**
 * Exports `model` as {@link exportOnnx} does and writes the bytes to `path` (Node only).
 *
 * @throws ValueError as {@link exportOnnx}
 * @example
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const path = join(tmpdir(), 'tapegrad-linear.onnx');
 * await saveOnnx(path, new Linear(3, 2), randn([1, 3]));
 * decodeModel(await loadOnnxFile(path)).graph!.node![0]!.opType; // 'Gemm'
 */
export async function saveOnnx(path: string, model: AnyModule, exampleInputs: Tensor | Tensor[], opts?: ExportOnnxOptions): Promise<void> {
  const bytes = exportOnnx(model, exampleInputs, opts);
  const fs = await import('node:fs/promises');
  await fs.writeFile(path, bytes);
}

/**
 * Reads an ONNX file's bytes (Node only), for {@link importOnnx} or {@link decodeModel}.
 *
 * @example
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const path = join(tmpdir(), 'tapegrad-relu.onnx');
 * await saveOnnx(path, new ReLU(), randn([2]));
 * (await loadOnnxFile(path)).length > 0; // true
 */
export async function loadOnnxFile(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  return new Uint8Array(await fs.readFile(path));
}

/**
 * Decodes ONNX bytes into a `ModelProto` object.
 *
 * @example
 * decodeModel(exportOnnx(new Tanh(), randn([3]))).graph!.node![0]!.opType; // 'Tanh'
 */
export function decodeModel(bytes: Uint8Array): O.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

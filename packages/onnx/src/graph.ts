import { Tensor, ValueError, fmtShape, type DType, type Storage } from '@tapegrad/core';
import { int64Proto, tensorProto, type O } from './proto.js';

/** An ONNX attribute value: a number is an INT, a number[] INTS, `{ float }` a FLOAT, a string a STRING, `{ tensor }` a TENSOR. */
export type Attr = number | number[] | string | { float: number } | { tensor: O.ITensorProto };

/** One recorded ONNX node. */
export interface TraceNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  /** The tapegrad op and the module path where it was called, for error messages. */
  where: string;
  /** How to make a shape constant of this node follow dynamic axes (Reshape, Expand). */
  shapeFix?: { kind: 'reshape' | 'expand'; constName: string; inShape: number[]; target: number[] };
}

/** A constant made during the trace (scalars, shapes, tensors created inside forward). */
export interface TraceConst {
  proto: O.ITensorProto;
  /** Its values, to compare two traces. */
  key: string;
  where: string;
  /** Its shape and dtype, and its value when every element has the same one (a filled constant). */
  shape?: number[];
  dtype?: DType;
  fill?: number;
  /** The values of an int64 constant made by {@link GraphBuilder.ints}. */
  ints?: number[];
}

interface ValueEntry {
  name: string;
  version: number;
}

/**
 * Records the ONNX nodes of one traced forward call: names tapegrad tensors (graph inputs, the
 * model's parameters and buffers by stateDict key, op outputs, constants) and collects nodes,
 * constants and used initializers.
 */
export class GraphBuilder {
  readonly nodes: TraceNode[] = [];
  readonly consts = new Map<string, TraceConst>();
  /** stateDict key -> tensor, for the entries the graph uses. */
  readonly inits = new Map<string, Tensor>();
  readonly moduleStack: string[] = [];
  readonly #values = new Map<Tensor, ValueEntry>();
  /** Storages of traced values (inputs, op outputs): a tensor sharing one that the trace did not name is refused. */
  readonly #tracedStorages = new Set<Storage>();
  /** Storages of constants: views of them (an RNN slicing its zero state) stay constants' views, not traced values. */
  readonly #constStorages = new Set<Storage>();
  readonly #state = new Map<Storage, Array<[string, Tensor]>>();
  #counter = 0;
  /** The tapegrad op being mapped, for `where`. */
  currentOp = '';

  constructor(readonly opset: number, state: ReadonlyArray<[string, Tensor]>) {
    for (const [k, t] of state) {
      const list = this.#state.get(t.storage) ?? [];
      list.push([k, t]);
      this.#state.set(t.storage, list);
    }
  }

  /** The module path and op of the current call, e.g. `op relu in 'features.1' (ReLU)`. */
  where(): string {
    const m = this.moduleStack.length ? this.moduleStack[this.moduleStack.length - 1]! : 'the model';
    return `${this.currentOp ? `op '${this.currentOp}' ` : ''}in ${m}`;
  }

  /** Registers `t` as the graph input `name`. */
  defineInput(t: Tensor, name: string): void {
    this.#set(t, name);
  }

  #set(t: Tensor, name: string): void {
    this.#values.set(t, { name, version: t.version });
    if (!this.#constStorages.has(t.storage)) this.#tracedStorages.add(t.storage);
  }

  /** Whether `t` is a value of the trace (an input or an op output). */
  has(t: Tensor): boolean {
    return this.#values.has(t);
  }

  /** The ONNX value name of `t`: a traced value, an initializer (stateDict key) or a new constant. */
  in(t: Tensor): string {
    const v = this.#values.get(t);
    if (v) {
      if (v.version !== t.version)
        throw new ValueError(`exportOnnx: value '${v.name}' (shape ${fmtShape(t.shape)}) was modified in place after it was computed, ${this.where()}; in-place ops cannot be exported: use out-of-place ones`);
      return v.name;
    }
    for (const [key, s] of this.#state.get(t.storage) ?? []) {
      if (s.offset === t.offset && sameList(s.shape, t.shape) && sameList(s.strides, t.strides)) {
        this.inits.set(key, s);
        return key;
      }
    }
    if (this.#tracedStorages.has(t.storage))
      throw new ValueError(
        `exportOnnx: a tensor of shape ${fmtShape(t.shape)} shares memory with a traced value but was not made by an op the tracer sees ` +
          `(detach(), a view made outside the ops?), ${this.where()}; its values would be baked into the graph`,
      );
    return this.constant(t);
  }

  /** A new constant holding `t`'s values. */
  constant(t: Tensor): string {
    const name = `onnx::Constant_${this.#counter++}`;
    const proto = tensorProto(name, t);
    if (!this.#tracedStorages.has(t.storage)) this.#constStorages.add(t.storage);
    const values = Array.from(t.contiguous().data as ArrayLike<number>).slice(0, t.numel());
    const fill = values.length === 0 ? 0 : values.every((v) => Object.is(v, values[0])) ? values[0] : undefined;
    this.consts.set(name, { proto, key: `${t.dtype}${fmtShape(t.shape)}:${values.join(',')}`, where: this.where(), shape: t.shape, dtype: t.dtype, fill });
    return name;
  }

  /** A new 1-D int64 constant (shapes, axes). */
  ints(values: readonly number[]): string {
    const name = `onnx::Constant_${this.#counter++}`;
    this.consts.set(name, { proto: int64Proto(name, values), key: `int64:${values.join(',')}`, where: this.where(), ints: [...values] });
    return name;
  }

  /** A new 0-d constant of `dtype`. */
  scalar(value: number, dtype: DType): string {
    return this.constant(Tensor.fromData(dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value), [], dtype === 'float64' ? 'float64' : 'float32'));
  }

  /**
   * Records a node. Its (first) output is named after the node and registered for `out` when given;
   * returns the output names.
   */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, out?: Tensor | null, nOut = 1): string[] {
    const path = this.moduleStack.length ? this.moduleStack[this.moduleStack.length - 1]!.replace(/^'|'.*$/g, '') : '';
    const base = `/${path ? path.replace(/\./g, '/') + '/' : ''}${opType}_${this.#counter++}`;
    const outputs = Array.from({ length: nOut }, (_, i) => `${base}_output_${i}`);
    this.nodes.push({ opType, inputs, outputs, attrs, where: this.where() });
    if (out) this.#set(out, outputs[0]!);
    return outputs;
  }

  /** Names `out` as the value `name` already has (ops that export as nothing, e.g. contiguous copies). */
  alias(out: Tensor, name: string): void {
    this.#set(out, name);
  }
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

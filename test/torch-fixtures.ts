/**
 * The shared side of the PyTorch parity tests: the fixture format written by
 * scripts/torch-fixtures/*.py (see its common.py) and the generic runners that rebuild each case's
 * inputs, run the op and compare outputs, gradients and Hessian-vector products. A parity test
 * file loads its fixture with {@link load}, maps each case's op name to a tapegrad call in an
 * {@link OpFn} table and calls {@link runCases}.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as tg from '@tapegrad/core';
import { Tensor, grad, isFloating, tensor, zeros, zerosLike, type DType } from '@tapegrad/core';

// ---------------------------------------------------------------- fixture format

/** A stored tensor: a nested list of float64 numbers ("nan", "inf", "-inf" as strings), or an int32/bool tensor. */
export type Enc = number | string | Enc[] | { dtype: 'int32' | 'bool' | 'float64'; data: unknown; shape?: number[] };
// Params come from JSON and feed many differently typed options.
export type Params = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Inputs = Record<string, Tensor>;

export interface VjpCase {
  name: string;
  kind: 'vjp' | 'hvp';
  op: string;
  params: Params;
  inputs: Record<string, Enc>;
  /** Float inputs that do not require grad. */
  const: string[];
  out: Array<Enc | null>;
  /** vjp: the gradient of each output (null for outputs without one). */
  upstream?: Array<Enc | null>;
  grads: Record<string, Enc | null>;
  /** hvp: the direction and the Hessian-vector product per input. */
  v?: Record<string, Enc>;
  hvp?: Record<string, Enc>;
}

export interface Fixture<C> {
  generator: string;
  torch: string;
  cases: C[];
}

export function load<C>(name: string): Fixture<C> {
  return JSON.parse(readFileSync(new URL(`./fixtures/torch/${name}.json`, import.meta.url), 'utf8')) as Fixture<C>;
}

export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error(`fixture: not a number: ${JSON.stringify(v)}`);
}

export function decodeNested(e: unknown): tg.NestedArray {
  return Array.isArray(e) ? e.map(decodeNested) : numberOf(e);
}

/** Rebuilds a stored tensor (float64, or `opts.float`, unless the fixture says int32 or bool). */
export function dec(e: Enc, opts: { requiresGrad?: boolean; float?: DType } = {}): Tensor {
  let dtype: DType = opts.float ?? 'float64';
  let data: unknown = e;
  if (typeof e === 'object' && e !== null && !Array.isArray(e)) {
    if (e.dtype !== 'float64') dtype = e.dtype;
    data = e.data;
    // An empty tensor carries its shape (a nested list cannot hold [0, 3]).
    if (e.shape) return zeros(e.shape, { dtype, requiresGrad: opts.requiresGrad && isFloating(dtype) });
  }
  return tensor(decodeNested(data), { dtype, requiresGrad: opts.requiresGrad && (dtype === 'float64' || dtype === 'float32') });
}

export const TIGHT = { rtol: 1e-10, atol: 1e-12 };
export type Tol = { rtol: number; atol: number };

export function asList(out: Tensor | Tensor[] | { values: Tensor; indices: Tensor }): Tensor[] {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out)) return out;
  return [out.values, out.indices];
}

// ---------------------------------------------------------------- the generic runners

export type OpFn = (i: Inputs, p: Params) => Tensor | Tensor[] | { values: Tensor; indices: Tensor };

export function buildInputs(c: VjpCase, float: DType = 'float64'): { inputs: Inputs; wrt: string[] } {
  const inputs: Inputs = {};
  const wrt: string[] = [];
  for (const [k, e] of Object.entries(c.inputs)) {
    const diff = !c.const.includes(k);
    inputs[k] = dec(e, { requiresGrad: diff, float });
    if (inputs[k]!.requiresGrad) wrt.push(k);
  }
  return { inputs, wrt };
}

/** Gradients of `outs` (with upstream `ups`) for the inputs `wrt`; zeros where nothing flows. */
export function vjp(outs: Tensor[], ups: Tensor[], wrt: Tensor[], createGraph = false): Tensor[] {
  const live = outs.map((o, i) => [o, ups[i]!] as const).filter(([o]) => o.requiresGrad);
  if (live.length === 0) return wrt.map((w) => zerosLike(w));
  const gs = grad(live.map(([o]) => o), wrt, { gradOutputs: live.map(([, u]) => u), allowUnused: true, createGraph });
  return gs.map((g, i) => g ?? zerosLike(wrt[i]!));
}

export function checkVjp(c: VjpCase, ops: Record<string, OpFn>, tol: Tol, float: DType = 'float64'): void {
  const fn = ops[c.op];
  if (!fn) throw new Error(`no table entry for op ${c.op}`);
  const { inputs, wrt } = buildInputs(c, float);
  const outs = asList(fn(inputs, c.params));
  expect(outs.length, 'number of outputs').toBe(c.out.length);
  outs.forEach((o, i) => expect(o, `output ${i}`).toBeAllClose(dec(c.out[i]!), tol));
  const names = Object.keys(c.grads);
  if (names.length === 0) return;
  const ups = (c.upstream ?? []).map((u, i) => (u === null ? zerosLike(outs[i]!) : dec(u, { float })));
  const gs = vjp(outs, ups, names.map((k) => inputs[k]!));
  names.forEach((k, i) => {
    const want = c.grads[k];
    expect(gs[i]!, `gradient of ${k}`).toBeAllClose(want === null || want === undefined ? zerosLike(inputs[k]!) : dec(want), tol);
  });
  expect(new Set(names)).toEqual(new Set(wrt));
}

export function checkHvp(c: VjpCase, ops: Record<string, OpFn>, tol: Tol): void {
  const fn = ops[c.op];
  if (!fn) throw new Error(`no table entry for op ${c.op}`);
  const { inputs, wrt } = buildInputs(c);
  const xs = wrt.map((k) => inputs[k]!);
  const f = asList(fn(inputs, c.params))[0]!;
  expect(f, 'value').toBeAllClose(dec(c.out[0]!), tol);
  const gs = grad(f, xs, { createGraph: true }).map((g) => g!);
  wrt.forEach((k, i) => expect(gs[i]!, `gradient of ${k}`).toBeAllClose(dec(c.grads[k]!), tol));
  let s: Tensor | null = null;
  wrt.forEach((k, i) => {
    const term = gs[i]!.mul(dec(c.v![k]!)).sum();
    s = s === null ? term : s.add(term);
  });
  const hv = vjp([s!], [tensor(1, { dtype: 'float64' })], xs);
  wrt.forEach((k, i) => expect(hv[i]!, `Hessian-vector product for ${k}`).toBeAllClose(dec(c.hvp![k]!), tol));
}

export function runCases(fixture: Fixture<VjpCase>, ops: Record<string, OpFn>, loose: Record<string, Tol>, knownBad: Record<string, string>) {
  for (const c of fixture.cases) {
    const tol = loose[c.name] ?? loose[c.op] ?? TIGHT;
    const body = () => (c.kind === 'hvp' ? checkHvp(c, ops, tol) : checkVjp(c, ops, tol));
    if (knownBad[c.name]) it.fails(`${c.name} [known discrepancy: ${knownBad[c.name]}]`, body);
    else it(`${c.name} matches PyTorch`, body);
  }
}


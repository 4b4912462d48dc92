/**
 * Pooling options and unpooling vs PyTorch 1.13: ceilMode (including a dropped last window),
 * returnIndices (values and int indices), countIncludePad: false, divisorOverride on the 1-D,
 * 2-D and 3-D pools, and MaxUnpool1d/2d/3d with outputSize; outputs, input gradients and, for
 * the second-order cases, Hessian-vector products, in float64. Fixture:
 * test/fixtures/torch/nn-pool-options.json, made by scripts/torch-fixtures/nn_pool_options.py.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, grad } from '@tapegrad/core';
import {
  AvgPool1d, AvgPool2d, AvgPool3d, F, MaxPool1d, MaxPool2d, MaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, type Module,
} from '@tapegrad/nn';
import { TIGHT, checkHvp, checkVjp, dec, load, type Enc, type OpFn, type Params, type VjpCase } from './torch-fixtures.js';
import './matchers.js';

interface ModuleCase {
  name: string;
  kind: 'module';
  layer: string;
  ctor: Array<number | number[]>;
  kwargs: Record<string, unknown>;
  state: Record<string, Enc>;
  input: Enc;
  /** Forward's further arguments: the indices and output size of an unpool. */
  extra: Array<Enc | number[]>;
  out: Enc[];
  upstream: Enc;
  grads: Record<string, Enc>;
}

/** PyTorch's keyword arguments in tapegrad's camelCase. */
function camel(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

// The constructors take PyTorch's arguments from JSON; forward returns a tensor or [values, indices].
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const LAYERS: Record<string, new (...args: any[]) => Module<any[], Tensor | [Tensor, Tensor]>> = {
  MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
};

function checkModule(c: ModuleCase): void {
  const Layer = LAYERS[c.layer];
  if (!Layer) throw new Error(`no layer ${c.layer}`);
  const m = new Layer(...c.ctor, camel(c.kwargs));
  expect(c.state).toEqual({});
  expect(m.stateDict()).toEqual({});
  const x = dec(c.input, { requiresGrad: true });
  // an unpool's indices are int32 tensors, its output size a list of numbers
  const extra = c.extra.map((e) => (Array.isArray(e) && e.every((n) => typeof n === 'number') ? e : dec(e as Enc)));
  const y = m.call(x, ...extra);
  const outs = y instanceof Tensor ? [y] : y;
  expect(outs.length, 'number of outputs').toBe(c.out.length);
  outs.forEach((o, i) => expect(o, `output ${i}`).toBeAllClose(dec(c.out[i]!), TIGHT));
  if (outs.length === 2) expect(outs[1]!.dtype).toBe('int32');
  const [gx] = grad(outs[0]!, [x], { gradOutputs: dec(c.upstream) });
  expect(gx!, 'gradient of input').toBeAllClose(dec(c.grads.input!), TIGHT);
}

/** The pool options of a case's params (all but the kernel size). */
const poolOpts = ({ k: _k, ...rest }: Params) => rest;
const unpoolOpts = (p: Params) => ({ stride: p.stride, padding: p.padding, outputSize: p.outputSize });

const OPS: Record<string, OpFn> = {
  maxPool1d: (i, p) => F.maxPool1d(i.x!, p.k, poolOpts(p)),
  maxPool2d: (i, p) => F.maxPool2d(i.x!, p.k, poolOpts(p)),
  maxPool3d: (i, p) => F.maxPool3d(i.x!, p.k, poolOpts(p)),
  avgPool1d: (i, p) => F.avgPool1d(i.x!, p.k, poolOpts(p)),
  avgPool2d: (i, p) => F.avgPool2d(i.x!, p.k, poolOpts(p)),
  avgPool3d: (i, p) => F.avgPool3d(i.x!, p.k, poolOpts(p)),
  maxUnpool1d: (i, p) => F.maxUnpool1d(i.x!, i.indices!, p.k, unpoolOpts(p)),
  maxUnpool2d: (i, p) => F.maxUnpool2d(i.x!, i.indices!, p.k, unpoolOpts(p)),
  maxUnpool3d: (i, p) => F.maxUnpool3d(i.x!, i.indices!, p.k, unpoolOpts(p)),
  maxPool2dSquared: (i) => F.maxPool2d(i.x!, 3, { stride: 2, padding: 1, ceilMode: true }).square().sum(),
  avgPool2dSquared: (i) => F.avgPool2d(i.x!, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).square().sum(),
  maxPool3dSquared: (i) => F.maxPool3d(i.x!, 2, { ceilMode: true }).square().sum(),
  avgPool3dSquared: (i) => F.avgPool3d(i.x!, 2, { ceilMode: true, divisorOverride: 3 }).square().sum(),
};

describe('pooling options and unpooling vs PyTorch', () => {
  const fixture = load<ModuleCase | VjpCase>('nn-pool-options');
  it('comes from the committed generator', () => expect(fixture.generator).toBe('scripts/torch-fixtures/nn_pool_options.py'));
  for (const c of fixture.cases) {
    if (c.kind === 'module') it(`${c.name}: gives PyTorch's outputs and input gradient`, () => checkModule(c));
    else if (c.kind === 'hvp') it(`${c.name} matches PyTorch (gradient and Hessian-vector product)`, () => checkHvp(c, OPS, TIGHT));
    else it(`${c.name} matches PyTorch`, () => checkVjp(c, OPS, TIGHT));
  }
});

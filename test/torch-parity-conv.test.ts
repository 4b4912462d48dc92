/**
 * Convolution and resampling vs PyTorch 1.13: modules rebuilt from PyTorch's state dict (loaded by
 * key) give PyTorch's outputs and input/parameter gradients, and the functional ops agree case by
 * case. Fixture: test/fixtures/torch/nn-conv.json, made by scripts/torch-fixtures/nn_conv.py.
 */
import { describe, expect, it } from 'vitest';
import { grad, type Tensor } from '@tapegrad/core';
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, F, type Module } from '@tapegrad/nn';
import { TIGHT, checkVjp, dec, load, type Enc, type OpFn, type VjpCase } from './torch-fixtures.js';
import './matchers.js';

interface ModuleCase {
  name: string;
  kind: 'module';
  layer: string;
  ctor: Array<number | number[]>;
  kwargs: Record<string, unknown>;
  state: Record<string, Enc>;
  input: Enc;
  out: Enc;
  upstream: Enc;
  grads: Record<string, Enc>;
}

/** PyTorch's keyword arguments in tapegrad's camelCase. */
function camel(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

// The constructors take PyTorch's arguments from JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const LAYERS: Record<string, new (...args: any[]) => Module> = { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d };

function checkModule(c: ModuleCase): void {
  const Layer = LAYERS[c.layer];
  if (!Layer) throw new Error(`no layer ${c.layer}`);
  const m = new Layer(...c.ctor, { ...camel(c.kwargs), dtype: 'float64' });
  const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)]));
  expect(m.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  const x = dec(c.input, { requiresGrad: true });
  const y = m.call(x);
  expect(y, 'output').toBeAllClose(dec(c.out), TIGHT);
  const params = m.namedParameters();
  const names = ['input', ...params.map(([k]) => k)];
  const wrt: Tensor[] = [x, ...params.map(([, p]) => p)];
  const gs = grad(y, wrt, { gradOutputs: dec(c.upstream) });
  expect(new Set(names)).toEqual(new Set(Object.keys(c.grads)));
  names.forEach((k, i) => expect(gs[i]!, `gradient of ${k}`).toBeAllClose(dec(c.grads[k]!), TIGHT));
}

const OPS: Record<string, OpFn> = {
  pad: (i, p) => F.pad(i.x!, p.pad, { mode: p.mode, value: p.value }),
  adaptiveAvgPool1d: (i, p) => F.adaptiveAvgPool1d(i.x!, p.out),
  adaptiveAvgPool2d: (i, p) => F.adaptiveAvgPool2d(i.x!, p.out),
  adaptiveMaxPool1d: (i, p) => F.adaptiveMaxPool1d(i.x!, p.out),
  adaptiveMaxPool2d: (i, p) => F.adaptiveMaxPool2d(i.x!, p.out),
  maxPool1d: (i) => F.maxPool1d(i.x!, 3, { stride: 2, padding: 1, dilation: 2 }),
  avgPool1d: (i) => F.avgPool1d(i.x!, 3, { stride: 2, padding: 1 }),
  cosineSimilarity: (i, p) => F.cosineSimilarity(i.a!, i.b!, { dim: p.dim }),
  pairwiseDistance: (i, p) => F.pairwiseDistance(i.a!, i.b!, { p: p.p, keepdim: p.keepdim }),
  unfold: (i) => F.unfold(i.x!, [2, 3], { dilation: [1, 2], padding: 1, stride: 2 }),
  fold: (i) =>
    i.x!.shape[1] === 18 && i.x!.shape[0] === 2
      ? F.fold(i.x!, [5, 6], [2, 3], { dilation: [1, 2], padding: 1, stride: 2 })
      : F.fold(i.x!, [4, 5], 3),
  pixelShuffle: (i, p) => F.pixelShuffle(i.x!, p.r),
  pixelUnshuffle: (i, p) => F.pixelUnshuffle(i.x!, p.r),
  interpolate: (i, p) =>
    F.interpolate(i.x!, { size: p.size, scaleFactor: p.scaleFactor, mode: p.mode, alignCorners: p.alignCorners, recomputeScaleFactor: p.recomputeScaleFactor }),
};

describe('convolution and resampling vs PyTorch', () => {
  const fixture = load<ModuleCase | VjpCase>('nn-conv');
  it('comes from the committed generator', () => expect(fixture.generator).toBe('scripts/torch-fixtures/nn_conv.py'));
  for (const c of fixture.cases) {
    if (c.kind === 'module') it(`${c.name}: loaded by key, gives PyTorch's output and gradients`, () => checkModule(c));
    else it(`${c.name} matches PyTorch`, () => checkVjp(c, OPS, TIGHT));
  }
});

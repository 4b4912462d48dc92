/**
 * Small layers (issue 18 leftovers) vs PyTorch 1.13: modules rebuilt from PyTorch's state dict
 * (loaded by key) give PyTorch's outputs and input/parameter gradients. Fixture:
 * test/fixtures/torch/nn-small.json, made by scripts/torch-fixtures/nn_small.py.
 */
import { describe, expect, it } from 'vitest';
import { grad, type Tensor } from '@tapegrad/core';
import { AlphaDropout, AvgPool3d, Bilinear, Conv3d, Dropout3d, FeatureAlphaDropout, MaxPool3d, type Module } from '@tapegrad/nn';
import { TIGHT, dec, load, type Enc } from './torch-fixtures.js';
import './matchers.js';

interface ModuleCase {
  name: string;
  layer: string;
  ctor: Array<number | number[]>;
  kwargs: Record<string, unknown>;
  train: boolean;
  state: Record<string, Enc>;
  inputs: Enc[];
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
const LAYERS: Record<string, new (...args: any[]) => Module<any[], Tensor>> = { Bilinear, Conv3d, MaxPool3d, AvgPool3d, Dropout3d, AlphaDropout, FeatureAlphaDropout };

function checkModule(c: ModuleCase): void {
  const Layer = LAYERS[c.layer];
  if (!Layer) throw new Error(`no layer ${c.layer}`);
  // Layers without parameters take no dtype.
  const m = new Layer(...c.ctor, Object.keys(c.state).length ? { ...camel(c.kwargs), dtype: 'float64' } : camel(c.kwargs));
  m.train(c.train);
  const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)]));
  expect(m.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  const xs = c.inputs.map((x) => dec(x, { requiresGrad: true }));
  const y = m.call(...xs);
  expect(y, 'output').toBeAllClose(dec(c.out), TIGHT);
  const params = m.namedParameters();
  const names = [...xs.map((_, i) => `input${i}`), ...params.map(([k]) => k)];
  const wrt: Tensor[] = [...xs, ...params.map(([, p]) => p)];
  const gs = grad(y, wrt, { gradOutputs: dec(c.upstream) });
  expect(new Set(names)).toEqual(new Set(Object.keys(c.grads)));
  names.forEach((k, i) => expect(gs[i]!, `gradient of ${k}`).toBeAllClose(dec(c.grads[k]!), TIGHT));
}

const fixture = load<ModuleCase>('nn-small');

describe('small layers match PyTorch (state dict loaded by key)', () => {
  for (const c of fixture.cases) it(c.name, () => checkModule(c));
});

/**
 * Parity with PyTorch for the normalization layers and functions of @tapegrad/nn: LayerNorm,
 * RMSNorm, GroupNorm, InstanceNorm1d/2d, BatchNorm1d/2d, LocalResponseNorm and F.layerNorm,
 * F.rmsNorm, F.groupNorm, F.instanceNorm, F.localResponseNorm, F.normalize, against PyTorch 1.13
 * in float64, from test/fixtures/torch/nn-norm.json (written by scripts/torch-fixtures/nn_norm.py,
 * whose doc string describes the format).
 *
 * A "module" case builds the tapegrad layer, loads PyTorch's state_dict BY KEY (so the parameter
 * and buffer names must be PyTorch's), and runs the recorded steps in training or evaluation
 * mode, comparing outputs, the gradients of the input and of each parameter, and the buffers
 * after each step (running statistics, num_batches_tracked).
 */
import { describe, expect, it } from 'vitest';
import { noGrad, type Tensor } from '@tapegrad/core';
import {
  F, BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm1d, InstanceNorm2d, LayerNorm, LocalResponseNorm, RMSNorm,
  type Module,
} from '@tapegrad/nn';
import { TIGHT, dec, itWasGeneratedBy, load, runCases, vjp, type Enc, type OpFn, type Params } from './torch-fixtures.js';

interface Step {
  mode: 'train' | 'eval';
  input: Enc;
  out: Enc;
  upstream: Enc;
  /** By 'input' and the parameter keys. */
  grads: Record<string, Enc>;
  /** The state-dict entries that are not parameters, after the step. */
  buffers: Record<string, Enc>;
}

interface ModuleCase {
  name: string;
  kind: 'module';
  layer: string;
  args: Array<number | number[]>;
  options: Params;
  state: Record<string, Enc>;
  steps: Step[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCtor = new (...args: any[]) => Module<[Tensor], Tensor>;
const LAYERS: Record<string, AnyCtor> = {
  LayerNorm, RMSNorm, GroupNorm, InstanceNorm1d, InstanceNorm2d, BatchNorm1d, BatchNorm2d, LocalResponseNorm,
};

function checkModule(c: ModuleCase): void {
  const Layer = LAYERS[c.layer];
  if (!Layer) throw new Error(`no layer ${c.layer}`);
  const m = new Layer(...c.args, { ...c.options, ...(c.layer === 'LocalResponseNorm' ? {} : { dtype: 'float64' }) });
  const state = Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, dec(e)]));
  expect(Object.keys(m.stateDict()), 'state-dict keys').toEqual(Object.keys(state));
  m.loadStateDict(state);
  const params = Object.fromEntries(m.namedParameters());
  c.steps.forEach((s, i) => {
    const at = `step ${i + 1} (${s.mode})`;
    m.train(s.mode === 'train');
    const x = dec(s.input, { requiresGrad: true });
    const y = m.call(x);
    expect(y, `${at}: output`).toBeAllClose(dec(s.out), TIGHT);
    const names = Object.keys(s.grads);
    expect(names, `${at}: parameters`).toEqual(['input', ...Object.keys(params)]);
    const gs = vjp([y], [dec(s.upstream)], names.map((k) => (k === 'input' ? x : params[k]!)));
    names.forEach((k, j) => expect(gs[j]!, `${at}: gradient of ${k}`).toBeAllClose(dec(s.grads[k]!), TIGHT));
    const now = m.stateDict();
    for (const [k, e] of Object.entries(s.buffers)) expect(now[k]!, `${at}: buffer ${k}`).toBeAllClose(dec(e), TIGHT);
  });
}

const opt = (i: Record<string, Tensor>, k: string) => i[k] ?? null;

const OPS: Record<string, OpFn> = {
  layerNorm: (i, p) => F.layerNorm(i.input!, p.normalizedShape, { weight: opt(i, 'weight'), bias: opt(i, 'bias'), eps: p.eps }),
  layerNormSq: (i) =>
    F.layerNorm(i.input!, 4, { weight: i.weight!, bias: i.bias! }).square().mul(ramp([3, 4])).sum(),
  rmsNorm: (i, p) => F.rmsNorm(i.input!, p.normalizedShape, { weight: opt(i, 'weight'), eps: p.eps }),
  rmsNormSq: (i) => F.rmsNorm(i.input!, [4], { weight: i.weight!, eps: 1e-3 }).square().mul(ramp([3, 4])).sum(),
  groupNorm: (i, p) => F.groupNorm(i.input!, p.numGroups, { weight: opt(i, 'weight'), bias: opt(i, 'bias'), eps: p.eps }),
  groupNormSq: (i) => F.groupNorm(i.input!, 2, { weight: i.weight!, bias: i.bias! }).square().mul(ramp([2, 4, 3])).sum(),
  instanceNorm: (i, p) => F.instanceNorm(i.input!, { weight: i.weight!, bias: i.bias!, eps: p.eps }),
  instanceNormRunning: (i, p) =>
    F.instanceNorm(i.input!, {
      runningMean: i.runningMean!, runningVar: i.runningVar!, weight: i.weight!, bias: i.bias!, useInputStats: false, eps: p.eps,
    }),
  instanceNormSq: (i) => F.instanceNorm(i.input!, { weight: i.weight! }).square().mul(ramp([2, 3, 4])).sum(),
  localResponseNorm: (i, p) => F.localResponseNorm(i.input!, p.size, { alpha: p.alpha, beta: p.beta, k: p.k }),
  localResponseNormSq: (i) => F.localResponseNorm(i.input!, 3, { alpha: 0.5, beta: 0.75, k: 1 }).square().sum(),
  normalize: (i, p) => F.normalize(i.input!, { p: p.p === 'inf' ? Infinity : p.p, dim: p.dim, eps: p.eps }),
  normalizeSq: (i) => F.normalize(i.input!).mul(ramp([3, 4])).sum().square(),
};

/** 1, 2, 3, ... in the given shape (float64), the weights of the second-order cases. */
function ramp(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return noGrad(() => dec(Array.from({ length: n }, (_, i) => i + 1)).reshape(shape));
}

describe('normalization layers and functions vs PyTorch', () => {
  const fixture = load<ModuleCase | { kind: 'vjp' | 'hvp' }>('nn-norm');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/nn_norm.py');
  const modules = fixture.cases.filter((c): c is ModuleCase => c.kind === 'module');
  it('covers every layer of the family', () => {
    expect(new Set(modules.map((c) => c.layer))).toEqual(new Set(Object.keys(LAYERS)));
  });
  for (const c of modules) it(`${c.name} matches PyTorch`, () => checkModule(c));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  runCases({ ...fixture, cases: fixture.cases.filter((c) => c.kind !== 'module') as any }, OPS, {}, {});
});

/**
 * The shape ops of @tapegrad/core (issue 17) against PyTorch 1.13: values, vector-Jacobian
 * products and Hessian-vector products stored in test/fixtures/torch/core-shape.json by
 * scripts/torch-fixtures/core_shape.py (float64). The param `pre` makes the input strided first
 * (as the generator does): 'T' transposes its last two dims, 'step' takes every other row.
 */
import { describe, it } from 'vitest';
import * as tg from '@tapegrad/core';
import type { Tensor } from '@tapegrad/core';
import { checkVjp, itWasGeneratedBy, load, runCases, type OpFn, type Params, type Tol, type VjpCase } from './torch-fixtures.js';

function pre(x: Tensor, p: Params): Tensor {
  if (p.pre === 'T') return x.transpose(-2, -1);
  if (p.pre === 'step') return x.slice([null, null, 2]);
  return x;
}

const STACKS: Record<string, (ts: Tensor[]) => Tensor> = {
  hstack: tg.hstack, vstack: tg.vstack, dstack: tg.dstack, columnStack: tg.columnStack, rowStack: tg.rowStack,
};

const X: Record<string, (x: Tensor, p: Params) => Tensor | Tensor[]> = {
  unflatten: (x, p) => x.unflatten(p.dim, p.sizes),
  movedim: (x, p) => tg.movedim(x, p.src, p.dst),
  swapdims: (x, p) => tg.swapdims(x, p.a, p.b),
  broadcastTo: (x, p) => tg.broadcastTo(x, p.shape),
  tensorSplit: (x, p) => tg.tensorSplit(x, p.arg, p.dim),
  unbind: (x, p) => tg.unbind(x, p.dim),
  flip: (x, p) => tg.flip(x, p.dims),
  fliplr: (x) => tg.fliplr(x),
  flipud: (x) => tg.flipud(x),
  roll: (x, p) => tg.roll(x, p.shifts, p.dims ?? undefined),
  rot90: (x, p) => tg.rot90(x, p.k, p.dims),
  repeat: (x, p) => x.repeat(p.reps),
  tile: (x, p) => tg.tile(x, p.reps),
  repeatInterleave: (x, p) => tg.repeatInterleave(x, p.repeats, p.dim ?? undefined),
  tril: (x, p) => tg.tril(x, p.k),
  triu: (x, p) => tg.triu(x, p.k),
  diagonal: (x, p) => tg.diagonal(x, p.offset, p.d1, p.d2),
  diag: (x, p) => tg.diag(x, p.k),
  diagEmbed: (x, p) => tg.diagEmbed(x, p.offset, p.d1, p.d2),
  diagflat: (x, p) => tg.diagflat(x, p.offset),
};

const SHAPE_OPS: Record<string, OpFn> = {
  ...Object.fromEntries(Object.entries(X).map(([k, f]) => [k, ((i, p) => f(pre(i.x!, p), p)) as OpFn])),
  repeatInterleaveT: (i) => tg.repeatInterleave(i.x!, i.reps!, 0),
  stacks: (i, p) => STACKS[p.fn as string]!([i.a!, i.b!]),
  broadcastTensors: (i) => tg.broadcastTensors(i.a!, i.b!, i.c!),
  trilFlip: (i) => tg.tril(i.x!).pow(2).mul(tg.flip(i.x!, [0])).sum(),
  diagCube: (i) => tg.diagonal(i.x!).pow(3).sum().add(tg.diagEmbed(i.x!).pow(2).sum()),
  rollRepeat: (i) => tg.roll(i.x!, 1, 1).mul(i.x!.repeat(1, 1)).sum().add(tg.repeatInterleave(i.x!, 2).pow(3).sum()),
};

const LOOSE: Record<string, Tol> = {};
const KNOWN: Record<string, string> = {};

describe('shape ops vs PyTorch', () => {
  const fixture = load<VjpCase>('core-shape');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/core_shape.py');
  runCases(fixture, SHAPE_OPS, LOOSE, KNOWN);
});

// The same values and gradients from float32 inputs: these ops only move values, so float32
// matches up to the rounding of the stored inputs.
describe('shape ops in float32 vs PyTorch float64', () => {
  const fixture = load<VjpCase>('core-shape');
  for (const c of fixture.cases.filter((c) => c.kind === 'vjp'))
    it(`${c.name} matches PyTorch in float32`, () => checkVjp(c, SHAPE_OPS, { rtol: 1e-6, atol: 1e-6 }, 'float32'));
});

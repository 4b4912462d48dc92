/**
 * Parity with PyTorch for the indexing ops of issue 17 (scatter, scatterReduce, take,
 * takeAlongDim, nonzero, argwhere, searchsorted, bucketize, index, indexPut, indexCopy, indexFill,
 * maskedSelect, maskedScatter): values, gradients and a few Hessian-vector products against
 * test/fixtures/torch/core-indexing.json, written by scripts/torch-fixtures/core_indexing.py
 * (torch 1.13, float64). The generic runners are in test/torch-fixtures.ts; index entries travel
 * in params as described in the generator's module comment.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '@tapegrad/core';
import { getBackend } from '@tapegrad/core';
import type { IndexEntry, Tensor } from '@tapegrad/core';
import {
  FLOAT32, checkVjp, float32Safe, itWasGeneratedBy, load, runCases, type Inputs, type OpFn, type Params, type Tol, type VjpCase,
} from './torch-fixtures.js';

/** The index entries of a case: {"t": name} is an input tensor, the rest are tapegrad's entries already. */
function entries(i: Inputs, spec: unknown[]): IndexEntry[] {
  return spec.map((e) => {
    if (e !== null && typeof e === 'object' && !Array.isArray(e)) return i[(e as { t: string }).t]!;
    return e as IndexEntry;
  });
}

/** The input as the case uses it: transposed (a strided view) when params ask. */
const view = (x: Tensor, p: Params) => (p.transpose ? x.T : x);

const OPS: Record<string, OpFn> = {
  scatter: (i, p) => tg.scatter(view(i.x!, p), p.dim, i.index!, i.src!, p.reduce ? { reduce: p.reduce } : undefined),
  scatterValue: (i, p) => tg.scatter(i.x!, p.dim, i.index!, p.value),
  scatterReduce: (i, p) => tg.scatterReduce(view(i.x!, p), p.dim, i.index!, i.src!, p.reduce, { includeSelf: p.includeSelf }),
  take: (i, p) => tg.take(view(i.x!, p), i.index!),
  takeAlongDim: (i, p) => tg.takeAlongDim(i.x!, i.index!, p.dim),
  nonzero: (i, p) => tg.nonzero(i.x!, { asTuple: p.asTuple }),
  argwhere: (i) => tg.argwhere(i.x!),
  searchsorted: (i, p) => tg.searchsorted(i.s!, i.v!, { right: p.right, side: p.side, sorter: i.sorter }),
  bucketize: (i, p) => tg.bucketize(i.x!, i.b!, { right: p.right }),
  index: (i, p) => tg.index(view(i.x!, p), entries(i, p.entries)),
  indexPut: (i, p) => tg.indexPut(i.x!, entries(i, p.entries), i.v!, { accumulate: p.accumulate }),
  indexCopy: (i, p) => tg.indexCopy(i.x!, p.dim, i.index!, i.src!),
  indexFill: (i, p) => tg.indexFill(i.x!, p.dim, i.index!, i.value!),
  maskedSelect: (i) => tg.maskedSelect(i.x!, i.m!),
  maskedScatter: (i) => tg.maskedScatter(i.x!, i.m!, i.src!),
  scatterProdSq: (i) => tg.scatterReduce(i.x!, 0, i.index!, i.src!, 'prod').pow(2).sum(),
  scatterMeanX: (i) => tg.scatterReduce(i.x!, 0, i.index!, i.src!, 'mean', { includeSelf: false }).mul(i.x!).sum(),
  indexCube: (i) => tg.index(i.x!, [i.i!, null, i.j!]).pow(3).sum(),
  indexPutTanh: (i) => tg.indexPut(i.x!, [i.i!], i.v!.mul(tg.index(i.x!, [0]))).tanh().sum(),
};

/** Cases whose algorithm legitimately differs from PyTorch's (none so far). */
const LOOSE: Record<string, Tol> = {};
/** Known disagreements (none so far). */
const KNOWN: Record<string, string> = {};

describe('indexing ops vs PyTorch', () => {
  const fixture = load<VjpCase>('core-indexing');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/core_indexing.py', 50);
  runCases(fixture, OPS, LOOSE, KNOWN);
});

// The same cases in float32 on the default backend, at float32 accuracy against the float64 reference.
describe(`indexing ops in float32 on the ${getBackend()} backend vs PyTorch float64`, () => {
  const cases = load<VjpCase>('core-indexing').cases.filter((c) => float32Safe(c) && !KNOWN[c.name]);
  it('covers most of the fixture', () => expect(cases.length).toBeGreaterThan(40));
  for (const c of cases) it(`${c.name} in float32 is close to PyTorch`, () => checkVjp(c, OPS, FLOAT32, 'float32'));
});

import { describe, expect, it } from 'vitest';
import { tensor, sort, topk, type Tensor } from '@tapegrad/core';

// The sort kernel's fast paths (radix sort of long float32/int32/bool lines, one-pass bounded
// buffer for a small topk) must give exactly the order of a stable comparison sort with NaN
// largest and -0 equal to 0, with input order among ties.

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Stable reference order of one line: ascending (NaN last) or descending (NaN first). */
function refOrder(line: number[], descending: boolean): number[] {
  const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const idx = line.map((_, i) => i);
  return idx.sort((i, j) => {
    const a = line[i]!;
    const b = line[j]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      const c = Number(Number.isNaN(a)) - Number(Number.isNaN(b));
      if (c !== 0) return descending ? -c : c;
      return i - j;
    }
    const c = rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0;
    return (descending ? -c : c) || i - j;
  });
}

function lineData(n: number, rnd: () => number, dtype: 'float32' | 'int32' | 'bool'): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (dtype === 'bool') out.push(r < 0.5 ? 1 : 0);
    else if (dtype === 'int32') out.push(r < 0.3 ? Math.floor(r * 10) - 1 : Math.floor((rnd() - 0.5) * 4e9));
    else if (r < 0.05) out.push(NaN);
    else if (r < 0.08) out.push(-0);
    else if (r < 0.1) out.push(r < 0.09 ? Infinity : -Infinity);
    else if (r < 0.4) out.push(Math.floor(r * 10) - 3); // ties
    else out.push(Math.fround(rnd() * 200 - 100));
  }
  return out;
}

/** Checks values and indices of every line of x ([rows, n] seen along dim 1 of `view`). */
function check(rows: number[][], view: (t: Tensor) => Tensor, got: { values: Tensor; indices: Tensor }, descending: boolean, k: number): void {
  const vals = view(got.values).toArray() as number[][];
  const idxs = view(got.indices).toArray() as number[][];
  rows.forEach((line, r) => {
    const order = refOrder(line, descending).slice(0, k);
    expect(idxs[r]).toEqual(order);
    expect(vals[r]!.map((v) => (Number(v) === 0 ? 0 : Number(v)))).toEqual(order.map((i) => (line[i] === 0 ? 0 : line[i])));
  });
}

describe('the sort kernel on long lines', () => {
  for (const dtype of ['float32', 'int32', 'bool'] as const)
    for (const descending of [false, true])
      it(`sorts ${dtype} lines of 300 ${descending ? 'descending' : 'ascending'} like a stable comparison sort, and topk agrees`, () => {
        const rnd = seeded(dtype.length * 7 + Number(descending));
        const rows = Array.from({ length: 5 }, () => lineData(300, rnd, dtype));
        const data = dtype === 'bool' ? rows.map((r) => r.map((v) => v === 1)) : rows;
        const x = tensor(data, { dtype });
        check(rows, (t) => t, sort(x, 1, { descending }), descending, 300);
        for (const k of [1, 3, 18, 19, 150, 300]) check(rows, (t) => t, topk(x, k, 1, { largest: descending }), descending, k);
        // the same lines as the columns of a transposed (strided) view
        const xt = tensor(data, { dtype }).mT.contiguous().mT;
        const cols = x.mT.contiguous();
        check(rows, (t) => t.mT, sort(cols, 0, { descending }), descending, 300);
        check(rows, (t) => t, topk(xt, 10, 1, { largest: descending }), descending, 10);
      });
});

import type { Tensor } from '@tapegrad/core';

/**
 * `f(a, b)` with NumPy broadcasting, by explicit index arithmetic (independent of the library), as
 * plain numbers (NaN, -0 kept).
 */
export function broadcastRef(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const nd = Math.max(a.ndim, b.ndim);
  const pad = (s: number[]) => [...new Array<number>(nd - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const shape = sa.map((d, i) => (d === 1 ? sb[i]! : d));
  const da = a.detach().data;
  const db = b.detach().data;
  const n = shape.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let k = 0; k < n; k++) {
    let rest = k;
    let ia = 0;
    let ib = 0;
    let ma = 1;
    let mb = 1;
    for (let d = nd - 1; d >= 0; d--) {
      const idx = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      ia += (sa[d] === 1 ? 0 : idx) * ma;
      ib += (sb[d] === 1 ? 0 : idx) * mb;
      ma *= sa[d]!;
      mb *= sb[d]!;
    }
    values.push(f(da[ia]!, db[ib]!));
  }
  return { shape, values };
}

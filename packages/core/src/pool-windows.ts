// The window arithmetic of pooling along one dim, as PyTorch computes it: shared by core's 2-D
// pools and nn's 1-D and 3-D ones, so that every pool sizes, clips and divides its windows alike.

/**
 * PyTorch's pooling output length along one dim (its `pooling_output_shape`): the floor, or with
 * `ceilMode` the ceiling, of `(n + 2p - d(k - 1) - 1) / s`, plus 1; in ceil mode a last window
 * that would start past the input and its left padding (`(out - 1) s >= n + p`) is dropped.
 *
 * @param n - input length; `k` kernel size, `s` stride, `p` padding (each side), `d` dilation
 * @example
 * poolOutputSize(5, 2, 2, 0, 1, false); // 2 (windows at 0, 2; the last element is left out)
 * poolOutputSize(5, 2, 2, 0, 1, true); // 3 (a third window at 4, clipped to the input)
 * poolOutputSize(5, 2, 2, 1, 1, true); // 3 (a fourth window would start at 5, in the right padding)
 */
export function poolOutputSize(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  if (!ceilMode) return Math.floor(span / s) + 1;
  const out = Math.ceil(span / s) + 1;
  return (out - 1) * s >= n + p ? out - 1 : out;
}

/**
 * Average pooling's divisors along one dim for the outputs `0..out-1`: `size`, the window clipped
 * to the input and its padding (the divisor with PyTorch's default `countIncludePad: true`;
 * shorter than `k` only for a ceil-mode window past the right padding), and `count`, the window
 * clipped to the input (the divisor with `countIncludePad: false`).
 *
 * @param n - input length; `k` kernel size, `s` stride, `p` padding (each side), `out` output length
 * @example
 * poolDivisors(5, 2, 2, 0, 3); // { size: [2, 2, 1], count: [2, 2, 1] }
 * poolDivisors(4, 3, 2, 1, 2); // { size: [3, 3], count: [2, 3] }
 */
export function poolDivisors(n: number, k: number, s: number, p: number, out: number): { size: number[]; count: number[] } {
  const size: number[] = [];
  const count: number[] = [];
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, n + p);
    size.push(end - start);
    count.push(Math.min(end, n) - Math.max(start, 0));
  }
  return { size, count };
}

/**
 * Max pooling's first tap inside the input along one dim, for the outputs `0..out-1`: `first`,
 * the first window position at or past 0 (`o s - p + a d` for the smallest tap a), and `inside`,
 * whether that position lies in the input. A window with `inside` false sees only padding (PyTorch
 * gives it -inf and that position as its index).
 *
 * @param n - input length; `k` kernel size, `s` stride, `p` padding (each side), `d` dilation, `out` output length
 * @example
 * poolFirstPositions(1, 2, 1, 1, 2, 2); // { first: [1, 0], inside: [false, true] }
 */
export function poolFirstPositions(n: number, k: number, s: number, p: number, d: number, out: number): { first: number[]; inside: boolean[] } {
  const first: number[] = [];
  const inside: boolean[] = [];
  for (let o = 0; o < out; o++) {
    let z = o * s - p;
    for (let a = 1; z < 0 && a < k; a++) z = o * s - p + a * d;
    first.push(z);
    inside.push(z >= 0 && z < n);
  }
  return { first, inside };
}

import type { DType } from '../../dtype.js';
import type { View } from '../backend.js';
import { alloc } from './alloc.js';
import { linesOf } from './scan.js';

/** Lines up to this long pack (32-bit key, index) into one exact float64: 32 + 21 bits = 53. */
const PACK_LIMIT = 1 << 21;
const SHIFT = 2 ** 21;
/** Packed lines at least this long are radix sorted (shorter ones: the native sort). */
const RADIX_MIN = 64;
/** A `k` at most 1/SMALL_K of the line is kept in a bounded sorted buffer in one pass. */
const SMALL_K = 16;

/**
 * Sorts every line of `x` along `dim` and keeps the first `k` (all by default): values
 * (outDtype) and the int32 positions they came from, contiguous, x's shape with `k` at `dim`.
 * NaN counts as larger than everything (last ascending, first descending), as in PyTorch; -0
 * equals 0; ties keep their input order (always stable).
 *
 * float32, int32 and bool lines up to 2^21 long are sorted as packed keys: each element's
 * order-preserving 32-bit key times 2^21 plus its index, one exact float64, so a native numeric
 * typed-array sort (no comparator) orders them and the index breaks ties. float64 lines go
 * through an index sort with a comparator. Packed lines of 64 or more are radix sorted on the
 * 32-bit key instead (4 stable byte passes: the same order). A `k` of at most 1/16 of the line
 * keeps the k smallest packed keys in a sorted buffer over one pass; another `k` below the length
 * selects first (quickselect), then sorts only those k. O(n log n) per line at worst, no
 * allocation per element.
 */
export function sort(x: View, dim: number, descending: boolean, outDtype: DType, k?: number): { values: View; indices: View } {
  const lines = linesOf(x, dim);
  const { outer, len, inner, step, outerOff, innerOff } = lines;
  const kk = k ?? len;
  const outShape = x.shape.length === 0 ? [] : x.shape.map((s, i) => (i === dim ? kk : s));
  const values = alloc(outDtype, outShape);
  const indices = alloc('int32', outShape);
  if (values.size === 0) return { values, indices };
  const xd = x.data;
  const vd = values.data;
  const id = indices.data;
  const packed = !(xd instanceof Float64Array) && len <= PACK_LIMIT;
  const bits = xd instanceof Float32Array ? new Uint32Array(xd.buffer, xd.byteOffset, xd.length) : null;
  const flip = descending ? 0xffffffff : 0;
  // The 32-bit key of element j of a line at `base` (descending: complemented).
  const keyAt = (base: number, j: number): number =>
    ((bits ? floatKey(bits[base + j * step]!) : (xd[base + j * step]! + 2147483648) >>> 0) ^ flip) >>> 0;
  if (packed && kk * SMALL_K <= len) {
    // A few of many: one pass per line keeping the kk smallest packed keys in a sorted buffer
    // (an element enters only when it beats the current kk-th, rare after the first few).
    const top = new Float64Array(kk);
    for (let a = 0; a < outer; a++) {
      for (let b = 0; b < inner; b++) {
        const base = outerOff[a]! + innerOff[b]!;
        let filled = 0;
        // the value of the current kk-th: an element that does not beat it by plain comparison
        // (a tie loses on its later index) is skipped before its key is built; NaN never
        // compares, so it (and a NaN threshold) takes the exact path
        let worst = NaN;
        for (let j = 0; j < len; j++) {
          const v = xd[base + j * step]!;
          if (descending ? v <= worst : v >= worst) continue;
          const key = keyAt(base, j) * SHIFT + j;
          if (filled === kk) {
            if (key >= top[kk - 1]!) continue;
          } else filled++;
          let i = filled - 1;
          for (; i > 0 && top[i - 1]! > key; i--) top[i] = top[i - 1]!;
          top[i] = key;
          if (filled === kk) worst = xd[base + (top[kk - 1]! % SHIFT) * step]!;
        }
        let p = a * kk * inner + b;
        for (let j = 0; j < kk; j++, p += inner) {
          const src = top[j]! % SHIFT;
          id[p] = src;
          vd[p] = xd[base + src * step]!;
        }
      }
    }
    return { values, indices };
  }
  if (packed && len >= RADIX_MIN) {
    // LSD radix sort of the 32-bit keys, a byte per pass; each pass is stable and the lines
    // start in index order, so ties keep their input order as in the packed sort.
    let keyA = new Uint32Array(len);
    let keyB = new Uint32Array(len);
    let idxA = new Int32Array(len);
    let idxB = new Int32Array(len);
    const hist = new Int32Array(4 * 256);
    for (let a = 0; a < outer; a++) {
      for (let b = 0; b < inner; b++) {
        const base = outerOff[a]! + innerOff[b]!;
        hist.fill(0);
        for (let j = 0; j < len; j++) {
          const key = keyAt(base, j);
          keyA[j] = key;
          idxA[j] = j;
          hist[key & 255]!++;
          hist[256 + ((key >>> 8) & 255)]!++;
          hist[512 + ((key >>> 16) & 255)]!++;
          hist[768 + (key >>> 24)]!++;
        }
        for (let pass = 0; pass < 4; pass++) {
          const h = pass * 256;
          const shift = pass * 8;
          // a byte shared by every key moves nothing
          if (hist[h + ((keyA[0]! >>> shift) & 255)] === len) continue;
          let sum = 0;
          for (let d = 0; d < 256; d++) {
            const c = hist[h + d]!;
            hist[h + d] = sum;
            sum += c;
          }
          for (let j = 0; j < len; j++) {
            const key = keyA[j]!;
            const to = hist[h + ((key >>> shift) & 255)]!++;
            keyB[to] = key;
            idxB[to] = idxA[j]!;
          }
          const tk = keyA;
          keyA = keyB;
          keyB = tk;
          const ti = idxA;
          idxA = idxB;
          idxB = ti;
        }
        let p = a * kk * inner + b;
        for (let j = 0; j < kk; j++, p += inner) {
          const src = idxA[j]!;
          id[p] = src;
          vd[p] = xd[base + src * step]!;
        }
      }
    }
    return { values, indices };
  }
  const keys = new Float64Array(len);
  const order = new Int32Array(len);
  const cmp = descending ? descIndex(keys) : ascIndex(keys);
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      const base = outerOff[a]! + innerOff[b]!;
      if (packed) {
        for (let j = 0; j < len; j++) keys[j] = keyAt(base, j) * SHIFT + j;
        if (kk < len) select(keys, kk);
        keys.subarray(0, kk).sort();
        let p = a * kk * inner + b;
        for (let j = 0; j < kk; j++, p += inner) {
          const src = keys[j]! % SHIFT;
          id[p] = src;
          vd[p] = xd[base + src * step]!;
        }
      } else {
        for (let j = 0; j < len; j++) {
          keys[j] = xd[base + j * step]!;
          order[j] = j;
        }
        order.sort(cmp);
        let p = a * kk * inner + b;
        for (let j = 0; j < kk; j++, p += inner) {
          const src = order[j]!;
          id[p] = src;
          vd[p] = keys[src]!;
        }
      }
    }
  }
  return { values, indices };
}

/**
 * The order-preserving unsigned key of float32 bits: negatives flipped entirely, positives with
 * the sign bit set; -0 maps to +0's key and every NaN above +inf.
 */
function floatKey(u: number): number {
  if ((u & 0x7fffffff) === 0) return 0x80000000; // ±0
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0) return 0xffffffff; // NaN
  return u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
}

/** Partially orders `a` so that its `k` smallest values come first (Hoare quickselect, keys distinct). */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** Index comparators over `key` for float64 lines: NaN largest, ties by index (stable). */
function ascIndex(key: Float64Array): (i: number, j: number) => number {
  return (i, j) => {
    const a = key[i]!;
    const b = key[j]!;
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return i - j;
    const an = a !== a;
    if (an === (b !== b)) return i - j;
    return an ? 1 : -1;
  };
}

function descIndex(key: Float64Array): (i: number, j: number) => number {
  return (i, j) => {
    const a = key[i]!;
    const b = key[j]!;
    if (a > b) return -1;
    if (a < b) return 1;
    if (a === b) return i - j;
    const an = a !== a;
    if (an === (b !== b)) return i - j;
    return an ? -1 : 1;
  };
}

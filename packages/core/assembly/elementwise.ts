// Element-wise float32 kernels over contiguous buffers padded to whole vectors: the caller
// allocates every buffer rounded up to 4 floats, so loops run over whole f32x4 vectors.
import { verf, vexp, vgelu, vgeluGrad, vgeluTanh, vgeluTanhGrad, vlog, vsigmoid, vtanh } from './vmath';

// Unary op codes (kept in sync with src/kernels/wasm/ops.ts).
export const U_COPY = 0, U_NEG = 1, U_ABS = 2, U_EXP = 3, U_LOG = 4, U_SQRT = 5, U_RSQRT = 6,
  U_TANH = 7, U_SIGMOID = 8, U_RELU = 9, U_STEP = 10, U_LEAKY = 11, U_CLAMP = 12, U_GELU = 13,
  U_GELU_TANH = 14, U_ERF = 15;

// @ts-ignore: decorator
@inline
function unaryVec(op: i32, x: v128, p0: v128, p1: v128): v128 {
  switch (op) {
    case U_COPY: return x;
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_EXP: return vexp(x);
    case U_LOG: return vlog(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RSQRT: return f32x4.div(f32x4.splat(1.0), f32x4.sqrt(x));
    case U_TANH: return vtanh(x);
    case U_SIGMOID: return vsigmoid(x);
    case U_GELU: return vgelu(x);
    case U_GELU_TANH: return vgeluTanh(x);
    case U_ERF: return verf(x);
    // x <= 0 ? 0 : x, NaN passing through (NaN <= 0 is false)
    case U_RELU: return v128.andnot(x, f32x4.le(x, f32x4.splat(0)));
    case U_STEP: return v128.and(f32x4.gt(x, f32x4.splat(0)), f32x4.splat(1.0));
    case U_LEAKY: return v128.bitselect(x, f32x4.mul(x, p0), f32x4.gt(x, f32x4.splat(0)));
    // min(max(x, lo), hi) with NaN passing through: compare-and-select, not min/max
    case U_CLAMP: {
      const lo = v128.bitselect(p0, x, f32x4.lt(x, p0));
      return v128.bitselect(p1, lo, f32x4.gt(lo, p1));
    }
  }
  return x;
}

// @ts-ignore: decorator
@inline
function unaryLoop(op: i32, n4: i32, x: usize, out: usize, p0: v128, p1: v128): void {
  const end = x + (<usize>n4 << 4);
  // four independent vectors per pass: the polynomial chains are long (latency-bound), so
  // interleaving them keeps the SIMD units busy
  while (x + 64 <= end) {
    const y0 = unaryVec(op, v128.load(x), p0, p1);
    const y1 = unaryVec(op, v128.load(x, 16), p0, p1);
    const y2 = unaryVec(op, v128.load(x, 32), p0, p1);
    const y3 = unaryVec(op, v128.load(x, 48), p0, p1);
    v128.store(out, y0);
    v128.store(out, y1, 16);
    v128.store(out, y2, 32);
    v128.store(out, y3, 48);
    x += 64;
    out += 64;
  }
  while (x < end) {
    v128.store(out, unaryVec(op, v128.load(x), p0, p1));
    x += 16;
    out += 16;
  }
}

/** `out[i] = f(x[i])` for `n` floats (buffers padded to a multiple of 4). */
export function unaryF32(op: i32, n: i32, x: usize, out: usize, p0: f32, p1: f32): void {
  const n4 = (n + 3) >> 2;
  const v0 = f32x4.splat(p0), v1 = f32x4.splat(p1);
  switch (op) {
    case U_COPY: unaryLoop(U_COPY, n4, x, out, v0, v1); break;
    case U_NEG: unaryLoop(U_NEG, n4, x, out, v0, v1); break;
    case U_ABS: unaryLoop(U_ABS, n4, x, out, v0, v1); break;
    case U_EXP: unaryLoop(U_EXP, n4, x, out, v0, v1); break;
    case U_LOG: unaryLoop(U_LOG, n4, x, out, v0, v1); break;
    case U_SQRT: unaryLoop(U_SQRT, n4, x, out, v0, v1); break;
    case U_RSQRT: unaryLoop(U_RSQRT, n4, x, out, v0, v1); break;
    case U_TANH: unaryLoop(U_TANH, n4, x, out, v0, v1); break;
    case U_SIGMOID: unaryLoop(U_SIGMOID, n4, x, out, v0, v1); break;
    case U_RELU: unaryLoop(U_RELU, n4, x, out, v0, v1); break;
    case U_STEP: unaryLoop(U_STEP, n4, x, out, v0, v1); break;
    case U_LEAKY: unaryLoop(U_LEAKY, n4, x, out, v0, v1); break;
    case U_CLAMP: unaryLoop(U_CLAMP, n4, x, out, v0, v1); break;
    case U_GELU: unaryLoop(U_GELU, n4, x, out, v0, v1); break;
    case U_GELU_TANH: unaryLoop(U_GELU_TANH, n4, x, out, v0, v1); break;
    case U_ERF: unaryLoop(U_ERF, n4, x, out, v0, v1); break;
  }
}

// Binary op codes.
export const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAX = 4, B_MIN = 5, B_RELU_BWD = 6, B_GELU_GRAD = 7,
  B_GELU_TANH_GRAD = 8, B_SIGMOID_BWD = 9, B_TANH_BWD = 10;

// @ts-ignore: decorator
@inline
function binaryVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b);
    case B_MIN: return f32x4.min(a, b);
    // relu's gradient: a where b > 0, else +0 (a NaN b gives 0, as NaN > 0 is false)
    case B_RELU_BWD: return v128.and(a, f32x4.gt(b, f32x4.splat(0)));
    // gelu's gradients: a gelu'(b), b gelu's input
    case B_GELU_GRAD: return f32x4.mul(a, vgeluGrad(b));
    case B_GELU_TANH_GRAD: return f32x4.mul(a, vgeluTanhGrad(b));
    // sigmoid's and tanh's gradients from their output b: a b (1 - b), a (1 - b b)
    case B_SIGMOID_BWD: return f32x4.mul(f32x4.mul(a, b), f32x4.sub(f32x4.splat(1), b));
    case B_TANH_BWD: return f32x4.mul(a, f32x4.sub(f32x4.splat(1), f32x4.mul(b, b)));
  }
  return a;
}

/**
 * One row: `out[j] = a[j] op b[j]` where each of a, b is a vector (`cs` 1) or a scalar
 * broadcast along the row (`cs` 0). Writes whole vectors; the last one may spill up to 3
 * floats past the row, which the next row (or the buffer's padding) absorbs.
 */
// @ts-ignore: decorator
@inline
function binaryRow(op: i32, n4: i32, a: usize, acs: i32, b: usize, bcs: i32, out: usize): void {
  const end = out + (<usize>n4 << 4);
  if (acs == 1 && bcs == 1) {
    while (out < end) {
      v128.store(out, binaryVec(op, v128.load(a), v128.load(b)));
      a += 16; b += 16; out += 16;
    }
  } else if (acs == 1) {
    const vb = v128.load32_splat(b);
    while (out < end) {
      v128.store(out, binaryVec(op, v128.load(a), vb));
      a += 16; out += 16;
    }
  } else if (bcs == 1) {
    const va = v128.load32_splat(a);
    while (out < end) {
      v128.store(out, binaryVec(op, va, v128.load(b)));
      b += 16; out += 16;
    }
  } else {
    const v = binaryVec(op, v128.load32_splat(a), v128.load32_splat(b));
    while (out < end) {
      v128.store(out, v);
      out += 16;
    }
  }
}

// @ts-ignore: decorator
@inline
function binaryLoop(op: i32, m: i32, n: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  const n4 = (n + 3) >> 2;
  const ra = <usize>ars * 4, rb = <usize>brs * 4, ro = <usize>n * 4;
  for (let i = 0; i < m; i++) {
    binaryRow(op, n4, a, acs, b, bcs, out);
    a += ra; b += rb; out += ro;
  }
}

/**
 * `out[i, j] = a[i, j] op b[i, j]` for a row-major `out [m, n]`; element (i, j) of a is at
 * `a + 4 (i ars + j acs)` with `acs` 0 or 1 (likewise b). Covers same-shape operands, a bias
 * row broadcast over rows (`brs` 0) and a column broadcast along rows (`bcs` 0).
 */
export function binaryF32(op: i32, m: i32, n: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  switch (op) {
    case B_ADD: binaryLoop(B_ADD, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_SUB: binaryLoop(B_SUB, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_MUL: binaryLoop(B_MUL, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_DIV: binaryLoop(B_DIV, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_MAX: binaryLoop(B_MAX, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_MIN: binaryLoop(B_MIN, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_RELU_BWD: binaryLoop(B_RELU_BWD, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_GELU_GRAD: binaryLoop(B_GELU_GRAD, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_GELU_TANH_GRAD: binaryLoop(B_GELU_TANH_GRAD, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_SIGMOID_BWD: binaryLoop(B_SIGMOID_BWD, m, n, a, ars, acs, b, brs, bcs, out); break;
    case B_TANH_BWD: binaryLoop(B_TANH_BWD, m, n, a, ars, acs, b, brs, bcs, out); break;
  }
}

// Comparison op codes (results are bytes 0/1).
export const C_EQ = 0, C_NE = 1, C_LT = 2, C_LE = 3, C_GT = 4, C_GE = 5;

// @ts-ignore: decorator
@inline
function compareVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case C_EQ: return f32x4.eq(a, b);
    case C_NE: return f32x4.ne(a, b);
    case C_LT: return f32x4.lt(a, b);
    case C_LE: return f32x4.le(a, b);
    case C_GT: return f32x4.gt(a, b);
    case C_GE: return f32x4.ge(a, b);
  }
  return a;
}

/** Four lane masks (all ones or zero) as four bytes 1/0 in the low lanes. */
// @ts-ignore: decorator
@inline
function maskBytes(m: v128): v128 {
  const h = i16x8.narrow_i32x4_s(m, m);
  return v128.and(i8x16.narrow_i16x8_s(h, h), i8x16.splat(1));
}

// @ts-ignore: decorator
@inline
function compareLoop(op: i32, m: i32, n: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  const n4 = (n + 3) >> 2;
  const ra = <usize>ars * 4, rb = <usize>brs * 4;
  for (let i = 0; i < m; i++) {
    let pa = a, pb = b, po = out;
    const va = v128.load32_splat(a), vb = v128.load32_splat(b);
    const sa = <usize>acs * 16, sb = <usize>bcs * 16;
    for (let j = 0; j < n4; j++) {
      const x = acs ? v128.load(pa) : va;
      const y = bcs ? v128.load(pb) : vb;
      v128.store32_lane(po, maskBytes(compareVec(op, x, y)), 0);
      pa += sa; pb += sb; po += 4;
    }
    a += ra; b += rb; out += <usize>n;
  }
}

/**
 * `out[i, j] = a[i, j] op b[i, j] ? 1 : 0` as bytes, `out [m, n]` row-major; operand layout as
 * in {@link binaryF32}. NaN compares unequal to everything (ne gives 1), as in JS.
 */
export function compareF32(op: i32, m: i32, n: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  switch (op) {
    case C_EQ: compareLoop(C_EQ, m, n, a, ars, acs, b, brs, bcs, out); break;
    case C_NE: compareLoop(C_NE, m, n, a, ars, acs, b, brs, bcs, out); break;
    case C_LT: compareLoop(C_LT, m, n, a, ars, acs, b, brs, bcs, out); break;
    case C_LE: compareLoop(C_LE, m, n, a, ars, acs, b, brs, bcs, out); break;
    case C_GT: compareLoop(C_GT, m, n, a, ars, acs, b, brs, bcs, out); break;
    case C_GE: compareLoop(C_GE, m, n, a, ars, acs, b, brs, bcs, out); break;
  }
}

/**
 * `out[i, j] = cond[i, j] ? a[i, j] : b[i, j]`, `out [m, n]` float32 row-major; cond is bytes.
 * Each operand's element (i, j) is at `p + size (i rs + j cs)` with `cs` 0 or 1.
 */
export function whereF32(m: i32, n: i32, c: usize, crs: i32, ccs: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  const n4 = (n + 3) >> 2;
  for (let i = 0; i < m; i++) {
    let pc = c + <usize>(i * crs), pa = a + <usize>(i * ars) * 4, pb = b + <usize>(i * brs) * 4, po = out + <usize>(i * n) * 4;
    const vc = i32x4.ne(i32x4.splat(<i32>load<u8>(pc)), i32x4.splat(0));
    const va = v128.load32_splat(pa), vb = v128.load32_splat(pb);
    const sc = <usize>ccs * 4, sa = <usize>acs * 16, sb = <usize>bcs * 16;
    for (let j = 0; j < n4; j++) {
      const mask = ccs
        ? i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(pc))), i32x4.splat(0))
        : vc;
      const x = acs ? v128.load(pa) : va;
      const y = bcs ? v128.load(pb) : vb;
      v128.store(po, v128.bitselect(x, y, mask));
      pc += sc; pa += sa; pb += sb; po += 16;
    }
  }
}

/**
 * `x[r, j] += bias[r % period]` in place for a row-major `x [rows, n]`, exactly (no spill past
 * a row: safe in place for any n): a convolution's bias per output channel, `period` = O.
 */
export function addRowBiasF32(rows: i32, n: i32, x: usize, bias: usize, period: i32): void {
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const b = load<f32>(bias + (<usize>(r % period) << 2));
    const vb = f32x4.splat(b);
    const row = x + (<usize>r * <usize>n << 2);
    let j = 0;
    for (; j < n4; j += 4) {
      const p = row + (<usize>j << 2);
      v128.store(p, f32x4.add(v128.load(p), vb));
    }
    for (; j < n; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + b);
    }
  }
}

// Reference decompositions of one dense row-major float64 matrix each. The linalg ops call these
// directly, one batch entry at a time: they are not on a training hot path, so they stay plain
// JavaScript and out of the Backend interface.

/** An LU factorisation with partial pivoting, `P A = L U`, packed in one matrix as LAPACK's getrf. */
export interface LU {
  /** L below the diagonal (unit diagonal implied), U on and above it; n x n row-major. */
  lu: Float64Array;
  /** Row `i` of `P A` is row `perm[i]` of `A`. */
  perm: Int32Array;
  /** The determinant of P: +1 or -1. */
  sign: number;
  /** The first k with U[k,k] == 0, or -1 when U is non-singular. */
  zeroPivot: number;
}

/** Factors the n x n matrix `a` (not modified). Singular matrices factor too (zeroPivot says where). */
export function luFactor(a: Float64Array, n: number): LU {
  const lu = a.slice(0, n * n);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  let zeroPivot = -1;
  for (let k = 0; k < n; k++) {
    // the largest |entry| of column k on or below the diagonal becomes the pivot (NaN wins, so it propagates)
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) (best = v), (p = i);
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = -sign;
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) {
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] = lu[i * n + k]! / pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - f * lu[k * n + j]!;
    }
  }
  return { lu, perm, sign, zeroPivot };
}

/** The determinant from an LU factorisation: sign(P) * prod(U[k,k]). */
export function luDet(f: LU, n: number): number {
  let d = f.sign;
  for (let k = 0; k < n; k++) d *= f.lu[k * n + k]!;
  return d + 0; // -0 -> 0
}

/** Solves `A X = B` for X (n x m, row-major) from A's non-singular LU factorisation. */
export function luSolve(f: LU, n: number, b: Float64Array, m: number): Float64Array {
  const { lu, perm } = f;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] = b[perm[i]! * m + j]!;
  // forward substitution with the unit lower triangle, then back substitution with U
  for (let i = 0; i < n; i++)
    for (let k = 0; k < i; k++) {
      const l = lu[i * n + k]!;
      if (l !== 0) for (let j = 0; j < m; j++) x[i * m + j] = x[i * m + j]! - l * x[k * m + j]!;
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = lu[i * n + k]!;
      if (u !== 0) for (let j = 0; j < m; j++) x[i * m + j] = x[i * m + j]! - u * x[k * m + j]!;
    }
    const d = lu[i * n + i]!;
    for (let j = 0; j < m; j++) x[i * m + j] = x[i * m + j]! / d;
  }
  return x;
}

/**
 * The Cholesky factor L (lower, `A = L L^T`) of the n x n matrix `a`, read from its lower
 * triangle only (as LAPACK's potrf). Returns the order of the first leading minor that is not
 * positive-definite instead when there is one.
 */
export function choleskyFactor(a: Float64Array, n: number): Float64Array | { failedOrder: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) return { failedOrder: j + 1 };
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * The reduced QR decomposition `A = Q R` of the m x n matrix `a` by Householder reflections with
 * LAPACK's sign convention (geqrf + orgqr): Q is m x k with orthonormal columns, R is k x n upper
 * triangular, k = min(m, n); `complete` gives Q as m x m and R as m x n.
 */
export function householderQR(a: Float64Array, m: number, n: number, complete: boolean): { q: Float64Array; r: Float64Array; kq: number } {
  const r = a.slice(0, m * n);
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < k; j++) {
    // the reflector H = I - tau v v^T (v[j] = 1) that zeroes column j below the diagonal
    const alpha = r[j * n + j]!;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, r[i * n + j]!);
    const v = new Float64Array(m);
    if (xnorm === 0) {
      vs.push(v);
      taus.push(0);
      continue;
    }
    const norm = Math.hypot(alpha, xnorm);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    v[j] = 1;
    for (let i = j + 1; i < m; i++) v[i] = r[i * n + j]! / (alpha - beta);
    for (let c = j; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * r[i * n + c]!;
      s *= tau;
      for (let i = j; i < m; i++) r[i * n + c] = r[i * n + c]! - s * v[i]!;
    }
    r[j * n + j] = beta;
    for (let i = j + 1; i < m; i++) r[i * n + j] = 0;
    vs.push(v);
    taus.push(tau);
  }
  // Q = H_0 H_1 ... H_{k-1} applied to the first kq columns of the identity, last reflector first.
  const kq = complete ? m : k;
  const q = new Float64Array(m * kq);
  for (let i = 0; i < kq; i++) q[i * kq + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!;
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < kq; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * q[i * kq + c]!;
      s *= tau;
      for (let i = j; i < m; i++) q[i * kq + c] = q[i * kq + c]! - s * v[i]!;
    }
  }
  const rows = complete ? m : k;
  const rOut = new Float64Array(rows * n);
  rOut.set(r.subarray(0, Math.min(rows, m) * n));
  return { q, r: rOut, kq };
}

/**
 * Eigenvalues (ascending) and eigenvectors (the columns of `vectors`, n x n row-major) of the
 * symmetric n x n matrix whose lower triangle is that of `a`, by cyclic Jacobi rotations.
 */
export function jacobiEigh(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) s[i * n + j] = s[j * n + i] = a[i * n + j]!;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const x = s[i * n + j]! * s[i * n + j]!;
        total += x;
        if (i !== j) off += x;
      }
    if (!(off > 1e-30 * total) || !Number.isFinite(off)) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        // the rotation that zeroes s[p,q] (Golub & Van Loan, the smaller angle)
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => s[x * n + x]! - s[y * n + y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = s[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/**
 * The singular value decomposition `A = U diag(S) V^T` of the m x n matrix `a` by one-sided
 * (Hestenes) Jacobi rotations, accurate to the last digits also for small singular values (unlike
 * an eigendecomposition of A^T A). S descends; U is m x k, V is n x k (k = min(m, n)), or U m x m
 * and V n x n with `full`, their extra columns completing an orthonormal basis.
 */
export function jacobiSVD(a: Float64Array, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array } {
  if (m < n) {
    // A^T = V S U^T: decompose the transpose and swap the factors
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
    const r = jacobiSVD(t, n, m, full);
    return { u: r.v, s: r.s, v: r.u };
  }
  // columns of W = A V are rotated pairwise until orthogonal; then S = |w_j|, U = w_j / S_j
  const w = a.slice(0, m * n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const rotate = (x: Float64Array, rows: number, cols: number, p: number, q: number, c: number, s: number) => {
    for (let i = 0; i < rows; i++) {
      const xp = x[i * cols + p]!;
      const xq = x[i * cols + q]!;
      x[i * cols + p] = c * xp - s * xq;
      x[i * cols + q] = s * xp + c * xq;
    }
  };
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const wp = w[i * n + p]!;
          const wq = w[i * n + q]!;
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (!(Math.abs(gamma) > 1e-15 * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, m, n, p, q, c, s);
        rotate(v, n, n, p, q, c, s);
      }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let x = 0;
    for (let i = 0; i < m; i++) x = Math.hypot(x, w[i * n + j]!);
    return x;
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const ku = full ? m : n;
  const u = new Float64Array(m * ku);
  const s = new Float64Array(n);
  const vo = new Float64Array(n * n);
  const filled: number[] = [];
  // A column that rounding left at the noise level has no reliable direction (nor orthogonality):
  // its singular vector comes from completing the basis instead.
  const noise = (norms[order[0]!] ?? 0) * Math.max(m, n) * 2 ** -52;
  order.forEach((src, dst) => {
    s[dst] = norms[src]!;
    for (let i = 0; i < n; i++) vo[i * n + dst] = v[i * n + src]!;
    if (norms[src]! > noise) {
      for (let i = 0; i < m; i++) u[i * ku + dst] = w[i * n + src]! / norms[src]!;
      filled.push(dst);
    }
  });
  completeBasis(u, m, ku, filled);
  return { u, s, v: vo };
}

/** Fills the columns of the m x cols matrix `q` not listed in `filled` so that all columns are orthonormal (Gram-Schmidt on unit vectors). */
function completeBasis(q: Float64Array, m: number, cols: number, filled: number[]): void {
  const done = new Set(filled);
  let e = 0;
  for (let c = 0; c < cols; c++) {
    if (done.has(c)) continue;
    for (; e < m; e++) {
      const x = new Float64Array(m);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++)
        for (const d of done) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += q[i * cols + d]! * x[i]!;
          for (let i = 0; i < m; i++) x[i] = x[i]! - dot * q[i * cols + d]!;
        }
      let norm = 0;
      for (let i = 0; i < m; i++) norm = Math.hypot(norm, x[i]!);
      if (norm > 1e-8) {
        for (let i = 0; i < m; i++) q[i * cols + c] = x[i]! / norm;
        done.add(c);
        e++;
        break;
      }
    }
  }
}

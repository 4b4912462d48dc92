// Scalar special functions in float64 for the element-wise kernels (elementwise.ts): erfc,
// erfinv, lgamma, digamma, polygamma and round-half-to-even. Each is derived from a textbook
// formula, named where it is used; the constants were computed with mpmath at 40 digits and
// rounded to float64. They aim at a few ulps wherever the function is well conditioned (absolute
// ~1e-16 next to the zeros of lgamma and digamma), and follow PyTorch at poles, NaN and
// infinities unless a comment says otherwise.

const SQRT_PI = 1.7724538509055159;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** `e^(-x²)` without the rounding of x² (worth ~x² ulps): x = hi + lo with hi² exact. */
function expMinusSquare(x: number): number {
  const hi = Math.fround(x); // 24 bits: hi * hi is exact in float64
  return Math.exp(-hi * hi) * Math.exp(-(x - hi) * (x + hi));
}

// erf and erfc near the points c = j/4 (j = 0..10) by their Taylor series: the k-th derivative of
// erfc is (-1)^k 2/√π H_{k-1}(x) e^(-x²) (H the physicists' Hermite polynomials), so
//   erfc(c + h) = erfc(c) - A(c) S(c, h),  erf(c + h) = erf(c) + A(c) S(c, h),
//   A(c) = 2/√π e^(-c²),  S(c, h) = Σ_{k≥1} (-1)^(k-1) H_{k-1}(c) h^k / k!.
// With |h| <= 1/8 the terms fall off like (√2 h)^k / √(k!): 20 are plenty. Away from the grid,
// erfc comes from Laplace's continued fraction (x >= 2.625) or the reflection erfc(-x) = 2 - erfc(x).
const ERFC_AT = [
  1.0, 0.7236736098317631, 0.4795001221869535, 0.28884436634648486, 0.15729920705028513, 0.07709987174354177,
  0.033894853524689274, 0.013328328780817557, 0.004677734981047266, 0.0014627165866811518, 0.0004069520174449589,
];
const ERF_AT = [0, 0.27632639016823696, 0.5204998778130465];
const A_AT = [
  1.1283791670955126, 1.0600141293761143, 0.8787825789354448, 0.6429310691952074, 0.4151074974205947, 0.2365211224472908,
  0.11893028922362937, 0.05277499593015037, 0.020666985354092053, 0.007142319022017983, 0.0021782842303527095,
];

/** `S(c, h)` above: the Taylor correction of erf/erfc at grid point c, in steps of h. */
function hermiteSeries(c: number, h: number): number {
  let hPrev = 0; // H_{k-3}
  let hCur = 1; // H_{k-2}
  let term = h; // h^k / k!
  let s = h;
  // A fixed count: a term may vanish (H_1(0) = 0) while later ones do not.
  for (let k = 2; k <= 22; k++) {
    const next = 2 * c * hCur - 2 * (k - 2) * hPrev; // H_{k-1}
    hPrev = hCur;
    hCur = next;
    term *= h / k;
    s += (k % 2 === 0 ? -hCur : hCur) * term;
  }
  return s;
}

/** erf(x) for the small arguments of erfinv, relatively accurate near 0. */
function erfSmall(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 0.625) return x < 0 ? erfc(ax) - 1 : 1 - erfc(ax);
  const j = Math.round(ax * 4);
  const v = ERF_AT[j]! + A_AT[j]! * hermiteSeries(j / 4, ax - j / 4);
  return x < 0 ? -v : v;
}

/**
 * Complementary error function `1 - erf(x)`, accurate relative to its own (tiny) size for large x:
 * erfc(10) = 2.088e-45, where 1 - erf(x) would give 0.
 */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < -0.125) return 2 - erfc(-x);
  if (x < 2.625) {
    const j = Math.round(x * 4);
    return ERFC_AT[j]! - A_AT[j]! * hermiteSeries(j / 4, x - j / 4);
  }
  if (x > 27.3) return 0; // below the smallest subnormal
  // Laplace's continued fraction erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
  // evaluated backwards; 60 levels give ~1e-25 relative for x >= 2.6.
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (x + f);
  return expMinusSquare(x) / (x + f) / SQRT_PI;
}

/**
 * Inverse error function on [-1, 1] (±Infinity at ±1, NaN outside, -0 stays -0). A closed-form
 * first guess (Winitzki 2008, ~2e-3 relative) refined by Halley's method on erf(x) = y, or on
 * erfc(x) = 1 - |y| for |y| > 1/2, so that the tail keeps its relative accuracy.
 */
export function erfinv(y: number): number {
  if (!(y >= -1 && y <= 1)) return NaN;
  if (y === 0) return y;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  const a = Math.abs(y);
  // Winitzki: erfinv(a) ≈ sqrt(sqrt(t² - L/K) - t), t = 2/(πK) + L/2, L = ln(1 - a²), K = 0.147.
  const L = Math.log1p(-a * a);
  const t = 2 / (Math.PI * 0.147) + L / 2;
  let x = Math.sqrt(Math.max(0, Math.sqrt(t * t - L / 0.147) - t));
  const tail = a > 0.5;
  const c = 1 - a; // exact for a > 1/2
  for (let i = 0; i < 6; i++) {
    // f = erf(x) - a (or -(erfc(x) - c)), f' = 2/√π e^(-x²), f''/f' = -2x: Halley's step is
    // dx = (f/f') / (1 + x f/f').
    const f = tail ? c - erfc(x) : erfSmall(x) - a;
    const r = f / (TWO_OVER_SQRT_PI * expMinusSquare(x));
    const dx = r / (1 + x * r);
    x -= dx;
    if (Math.abs(dx) <= 1e-17 * x) break;
  }
  return y < 0 ? -x : x;
}

// lgamma(2 + z) = (1 - γ) z + Σ_{k≥2} (-1)^k (ζ(k) - 1)/k z^k (from the Taylor series of
// ln Γ(1 + z) and ln(1 + z)), converging for |z| < 2; used for |z| <= 1/2, 29 terms.
// LGAMMA2[k - 1] = (ζ(k) - 1)/k for k >= 2, LGAMMA2[0] = 1 - γ.
const LGAMMA2 = [
  0.42278433509846713, 0.3224670334241132, 0.0673523010531981, 0.020580808427784546, 0.007385551028673986,
  0.0028905103307415234, 0.001192753911703261, 0.0005096695247430425, 0.00022315475845357939, 9.945751278180853e-05,
  4.492623673813314e-05, 2.050721277567069e-05, 9.439488275268397e-06, 4.374866789907488e-06, 2.039215753801366e-06,
  9.55141213040742e-07, 4.492469198764566e-07, 2.1207184805554665e-07, 1.0043224823968099e-07, 4.7698101693639804e-08,
  2.2711094608943164e-08, 1.0838659214896955e-08, 5.183475041970047e-09, 2.4836745438024785e-09, 1.1921401405860912e-09,
  5.731367241678862e-10, 2.7595228851242334e-10, 1.330476437424449e-10, 6.4229645638381e-11,
];

/** lgamma(2 + z) for |z| <= 1/2: z (c_1 + z (c_2 - z (c_3 - z (...)))), Horner with the signs (-1)^k. */
function lgamma2(z: number): number {
  let s = 0;
  for (let k = LGAMMA2.length - 1; k >= 1; k--) s = LGAMMA2[k]! - z * s;
  return z * (LGAMMA2[0]! + z * s);
}

const HALF_LOG_2PI = 0.9189385332046728;

/**
 * `ln |Γ(x)|`: +Infinity at 0, the negative integers and ±Infinity (as PyTorch). Series about 2 on
 * [1/2, 5/2] (through Γ(x + 1) = x Γ(x) below 3/2), the recurrence down to it below 10, Stirling's
 * series above, and the reflection Γ(x) Γ(1 - x) = π / sin(πx) for x < -1/2.
 */
export function lgamma(x: number): number {
  if (x !== x) return x;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0 && x === Math.floor(x)) return Infinity;
  if (x < -0.5) {
    const r = x - Math.round(x); // sin(πx) = ±sin(πr), r in [-1/2, 1/2], exact
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * r))) - lgamma(1 - x);
  }
  // Γ(x) = Γ(x + 2) / (x (x + 1)) and Γ(x) = Γ(x + 1) / x, with ln(1 + x) as log1p.
  if (x < 0.5) return lgamma2(x) - Math.log1p(x) - Math.log(Math.abs(x));
  if (x < 1.5) return lgamma2(x - 1) - Math.log1p(x - 1);
  if (x <= 2.5) return lgamma2(x - 2);
  if (x < 10) {
    let p = 1;
    while (x > 2.5) {
      x -= 1; // exact
      p *= x;
    }
    return lgamma2(x - 2) + Math.log(p);
  }
  // Stirling: (x - 1/2) ln x - x + ln(2π)/2 + Σ B_2k / (2k (2k - 1) x^(2k - 1)).
  const z = 1 / (x * x);
  const series =
    (1 / 12 + z * (-1 / 360 + z * (1 / 1260 + z * (-1 / 1680 + z * (1 / 1188 + z * (-691 / 360360 + z * (1 / 156 + z * (-3617 / 122400)))))))) / x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
}

/**
 * Digamma `ψ(x) = Γ'(x) / Γ(x)`: NaN at the negative integers and -Infinity, -Infinity at +0
 * and +Infinity at -0 (as PyTorch). The recurrence ψ(x) = ψ(x + 1) - 1/x up to x >= 10, then the
 * asymptotic series ln x - 1/(2x) - Σ B_2k / (2k x^2k); the reflection
 * ψ(x) = ψ(1 - x) - π cot(πx) below 0.
 */
export function digamma(x: number): number {
  if (x !== x) return x;
  if (x === 0) return 1 / x > 0 ? -Infinity : Infinity;
  if (x === Infinity) return x;
  if (x < 0) {
    if (x === Math.floor(x)) return NaN; // the poles, and -Infinity
    const r = x - Math.round(x); // cot(πx) = cot(πr), r in [-1/2, 1/2]
    return digamma(1 - x) - Math.PI * cotPi(r);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const z = 1 / (x * x);
  const series = z * (1 / 12 + z * (-1 / 120 + z * (1 / 252 + z * (-1 / 240 + z * (1 / 132 + z * (-691 / 32760 + z * (1 / 12)))))));
  return acc + Math.log(x) - 0.5 / x - series;
}

/**
 * `cot(πr)` for r in [-1/2, 1/2] (an exact reduction x - round(x)). Near ±1/2 it is computed as
 * ∓tan(π(1/2 ∓ r)): π r rounds with an absolute error that cot(πr), near its zero there, would
 * turn into a large relative one.
 */
function cotPi(r: number): number {
  if (r > 0.25) return Math.tan(Math.PI * (0.5 - r));
  if (r < -0.25) return -Math.tan(Math.PI * (0.5 + r));
  return 1 / Math.tan(Math.PI * r);
}

// Bernoulli numbers B_2, B_4, ..., B_18 for the Euler-Maclaurin tail of the Hurwitz zeta function.
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798];

/** `x^k` for an integer k >= 1 by squaring (Math.pow is several times slower; ~log2(k) ulps). */
function intPow(x: number, k: number): number {
  let r = 1;
  for (;;) {
    if (k & 1) r *= x;
    k >>>= 1;
    if (k === 0) return r;
    x *= x;
  }
}

/**
 * Hurwitz zeta `ζ(s, a) = Σ_{k≥0} (a + k)^-s` for an integer s >= 2 and any a that is not 0 or
 * a negative integer: the first terms summed until w = a + N >= 15, then Euler-Maclaurin,
 * `w^(1-s)/(s-1) + w^-s/2 + Σ_j B_2j/(2j)! s(s+1)...(s+2j-2) w^(-s-2j+1)`.
 */
function hurwitzZeta(s: number, a: number): number {
  let sum = 0;
  let w = a;
  for (; w < 15; w += 1) sum += 1 / intPow(w, s);
  // Powers of 1/w: they underflow to 0 where the terms vanish, where powers of a large w would overflow.
  const r = 1 / w;
  const wInv2 = r * r;
  const rS = intPow(r, s);
  let pow = rS * r; // w^(-s-2j+1) for j = 1
  let fac = s / 2; // s (s+1) ... (s+2j-2) / (2j)!
  let tail = intPow(r, s - 1) / (s - 1) + rS / 2;
  for (let j = 0; j < BERNOULLI.length; j++) {
    const t = BERNOULLI[j]! * fac * pow;
    tail += t;
    if (Math.abs(t) < 1e-17 * Math.abs(tail)) break;
    fac *= ((s + 2 * j + 1) * (s + 2 * j + 2)) / ((2 * j + 3) * (2 * j + 4));
    pow *= wInv2;
  }
  return sum + tail;
}

// The coefficients of P_n (lowest power first), computed once per order.
const cotPolynomials: number[][] = [[0, 1]];

function cotPolynomial(n: number): number[] {
  for (let k = cotPolynomials.length; k <= n; k++) {
    const c = cotPolynomials[k - 1]!;
    const d = c.slice(1).map((v, i) => (i + 1) * v); // P_{k-1}'
    const e = new Array<number>(d.length + 2).fill(0);
    d.forEach((v, i) => {
      e[i]! -= v;
      e[i + 2]! -= v;
    });
    cotPolynomials.push(e);
  }
  return cotPolynomials[n]!;
}

/**
 * `d^n/dx^n cot(πx) / π^n` as a polynomial in u = cot(πx): P_0 = u, P_{k+1} = -(1 + u²) P_k'(u).
 */
function cotDerivative(n: number, u: number): number {
  const c = cotPolynomial(n);
  let p = 0;
  for (let i = c.length - 1; i >= 0; i--) p = p * u + c[i]!;
  return p;
}

/**
 * Polygamma `ψ⁽ⁿ⁾(x)`, the n-th derivative of digamma, for an integer n >= 1:
 * `(-1)^(n+1) n! ζ(n + 1, x)`. At 0 and the negative integers it is `(-1)^(n+1) ∞` (PyTorch gives
 * the same except for trigamma at the negative integers, where its reflection returns a large
 * finite number); 0 at +Infinity (PyTorch: NaN for n >= 2); at -Infinity NaN for n = 1 and
 * `(-1)^(n+1) ∞` above, as PyTorch. Below 0 by the
 * reflection `ψ⁽ⁿ⁾(x) = (-1)^n ψ⁽ⁿ⁾(1 - x) - π d^n/dx^n cot(πx)` (ψ(1 - x) - ψ(x) = π cot(πx),
 * differentiated n times).
 */
export function polygamma(n: number, x: number): number {
  if (x !== x) return x;
  if (x === Infinity) return 0;
  const sign = n % 2 === 1 ? 1 : -1;
  if (x === -Infinity) return n === 1 ? NaN : sign * Infinity; // as PyTorch
  if (x <= 0 && x === Math.floor(x)) return sign * Infinity;
  if (x < 0) {
    const u = cotPi(x - Math.round(x));
    return -sign * polygamma(n, 1 - x) - Math.pow(Math.PI, n + 1) * cotDerivative(n, u);
  }
  let fact = 1;
  for (let k = 2; k <= n; k++) fact *= k;
  return sign * fact * hurwitzZeta(n + 1, x);
}

/** Rounds to the nearest integer, ties to even (IEEE roundTiesToEven, C's nearbyint); keeps -0. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties toward +Infinity
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * `10^d` for round's decimals, correctly rounded (Number('1e23'), as C's pow(10, 23); Math.pow
 * may be an ulp off), then to float32 when `single`.
 */
export function pow10(d: number, single: boolean): number {
  const p = Number(`1e${d}`);
  return single ? Math.fround(p) : p;
}

/**
 * One element of `round(x, decimals)` as PyTorch computes it, given `p = pow10(|decimals|)`:
 * `nearbyint(x p) / p` for decimals > 0 (`up`), `nearbyint(x / p) p` for decimals < 0, in float32
 * arithmetic when `single` (PyTorch's float kernel computes in float).
 */
export function roundScaled(x: number, p: number, up: boolean, single: boolean): number {
  if (single) return up ? Math.fround(roundHalfEven(Math.fround(x * p)) / p) : Math.fround(roundHalfEven(Math.fround(x / p)) * p);
  return up ? roundHalfEven(x * p) / p : roundHalfEven(x / p) * p;
}

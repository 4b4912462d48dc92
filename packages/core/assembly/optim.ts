// Fused optimizer updates over float32 buffers (padded to whole vectors of 4): one pass over a
// parameter, its gradient and its state, in place, in float32 SIMD arithmetic (as PyTorch
// updates float32 parameters). The JS reference (src/kernels/js/optim.ts) computes in float64
// and rounds each store, so the two agree to a few float32 ulp, not bit for bit.

/**
 * Adam (AdamW with `decay` != 1) over `n` floats: p, g, m, v (and vmax when `amsgrad`) are
 * addresses of float32 buffers padded to a multiple of 4.
 */
export function adamF32(
  n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize, amsgrad: i32,
  beta1: f64, beta2: f64, stepSize: f64, bc2Sqrt: f64, eps: f64, l2: f64, decay: f64, maximize: i32,
): void {
  const b1 = f32x4.splat(<f32>beta1), c1 = f32x4.splat(<f32>(1 - beta1));
  const b2 = f32x4.splat(<f32>beta2), c2 = f32x4.splat(<f32>(1 - beta2));
  const ss = f32x4.splat(<f32>stepSize), inv = f32x4.splat(<f32>(1 / bc2Sqrt)), ep = f32x4.splat(<f32>eps);
  const L2 = f32x4.splat(<f32>l2), dec = f32x4.splat(<f32>decay);
  const useL2 = l2 != 0, useDecay = decay != 1, ams = amsgrad != 0, neg = maximize != 0;
  for (let o: usize = 0, end = <usize>n << 2; o < end; o += 16) {
    let P = v128.load(p + o);
    let G = v128.load(g + o);
    if (neg) G = f32x4.neg(G);
    if (useL2) G = f32x4.add(G, f32x4.mul(L2, P));
    if (useDecay) P = f32x4.mul(P, dec);
    const M = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, G));
    let V = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.mul(c2, G), G));
    v128.store(m + o, M);
    v128.store(v + o, V);
    if (ams) {
      // vmax = v > vmax ? v : vmax (a NaN v leaves vmax as it was, like the JS comparison)
      const X = v128.load(vmax + o);
      V = v128.bitselect(V, X, f32x4.gt(V, X));
      v128.store(vmax + o, V);
    }
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(V), inv), ep);
    v128.store(p + o, f32x4.sub(P, f32x4.mul(ss, f32x4.div(M, denom))));
  }
}

/**
 * SGD with optional weight decay, momentum (dampening, Nesterov) over `n` floats; `buf` is the
 * momentum buffer (ignored when `momentum` is 0), `first` 1 on its first step (buf = g).
 */
export function sgdF32(
  n: i32, p: usize, g: usize, buf: usize, lr: f64, momentum: f64, dampening: f64, nesterov: i32,
  weightDecay: f64, maximize: i32, first: i32,
): void {
  const LR = f32x4.splat(<f32>lr), MO = f32x4.splat(<f32>momentum), KEEP = f32x4.splat(<f32>(1 - dampening));
  const WD = f32x4.splat(<f32>weightDecay);
  const useWd = weightDecay != 0, useMom = momentum != 0, neg = maximize != 0;
  for (let o: usize = 0, end = <usize>n << 2; o < end; o += 16) {
    const P = v128.load(p + o);
    let G = v128.load(g + o);
    if (neg) G = f32x4.neg(G);
    if (useWd) G = f32x4.add(G, f32x4.mul(WD, P));
    if (useMom) {
      const B = first ? G : f32x4.add(f32x4.mul(MO, v128.load(buf + o)), f32x4.mul(KEEP, G));
      v128.store(buf + o, B);
      G = nesterov ? f32x4.add(G, f32x4.mul(MO, B)) : B;
    }
    v128.store(p + o, f32x4.sub(P, f32x4.mul(LR, G)));
  }
}

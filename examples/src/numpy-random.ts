// NumPy's legacy global generator (`np.random.seed`, `randn`, `randint`, `choice`), so that an
// example can start from the same random numbers as a lecture's NumPy code: mnist-sigmoid draws
// the notes' initial weights and batches with it. Only the draws the examples need, bit for bit
// as NumPy's RandomState makes them (mt19937, the polar Gaussian, masked integer rejection).
import { ValueError } from '@tapegrad/core';

const N = 624;
const M = 397;

/**
 * NumPy's `RandomState(seed)`: the Mersenne twister mt19937 and the legacy samplers on top of it.
 * The same seed gives the same numbers as NumPy (`np.random.seed(21); np.random.randn(3)`).
 *
 * @example
 * new NumpyRandomState(21).randn(3); // [-0.05196425, -0.11119605, 1.0417968]
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private gauss: number | undefined; // the polar method makes two normals; NumPy keeps the second

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ValueError(`NumpyRandomState: seed must be an integer in [0, 2**32 - 1], got ${seed}`);
    this.mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const p = this.mt[i - 1]!;
      this.mt[i] = Math.imul(1812433253, p ^ (p >>> 30)) + i;
    }
  }

  /** The next 32-bit output of mt19937, in [0, 2^32). */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.pos = 0;
  }

  /** A double in [0, 1) from 53 random bits (`np.random.random_sample()`). */
  randomDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `count` standard normal draws (`np.random.randn(count)`; a [r, c] array is the same draws row by row). */
  randn(count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(this.gaussian());
    return out;
  }

  private gaussian(): number {
    if (this.gauss !== undefined) {
      const g = this.gauss;
      this.gauss = undefined;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomDouble() - 1;
      x2 = 2 * this.randomDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /**
   * `count` integers drawn uniformly from [0, high) (`np.random.randint(0, high, count)`, and
   * `np.random.choice(high, count)`, which draws with replacement the same way): each is a 32-bit
   * output masked to the bits `high - 1` needs, drawn again while it is >= high.
   */
  randint(high: number, count: number): number[] {
    if (!Number.isInteger(high) || high < 1 || high > 0x100000000) throw new ValueError(`NumpyRandomState.randint: high must be an integer in [1, 2**32], got ${high}`);
    const rng = high - 1;
    let mask = rng;
    for (let shift = 1; shift <= 16; shift *= 2) mask |= mask >>> shift;
    mask >>>= 0;
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      if (rng === 0) {
        out.push(0);
        continue;
      }
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > rng);
      out.push(v);
    }
    return out;
  }
}

import { ValueError } from './errors.js';

/**
 * A seeded pseudo-random number generator (xoshiro128** seeded through splitmix32), like
 * PyTorch's `torch.Generator`: the same seed gives the same numbers on every run and machine,
 * since it uses only 32-bit integer arithmetic.
 *
 * @example
 * const g = new Generator(42);
 * const a = randn([3], { generator: g });
 * g.manualSeed(42);
 * const b = randn([3], { generator: g });
 * b.sub(a).abs().max().item(); // 0 (the same numbers again)
 */
export class Generator {
  private s = new Uint32Array(4);
  private seed = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Resets the generator to the state given by `seed` (an integer; only the low 53 bits count).
   *
   * @example
   * const g = new Generator(1);
   * const a = g.random();
   * g.manualSeed(1).random() === a; // true
   */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed) || !Number.isInteger(seed))
      throw new ValueError(`manualSeed: seed must be an integer, got ${seed}`);
    this.seed = seed;
    // splitmix32 over both 32-bit halves of the seed fills the 128-bit state.
    let x = (seed >>> 0) ^ Math.floor(seed / 4294967296);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
    this.spareNormal = null;
    return this;
  }

  /**
   * The seed last set.
   *
   * @example
   * new Generator(42).initialSeed(); // 42
   */
  initialSeed(): number {
    return this.seed;
  }

  /**
   * The next 32 random bits as an unsigned integer.
   *
   * @example
   * const u = new Generator(0).nextUint32();
   * Number.isInteger(u) && u >= 0 && u < 2 ** 32; // true
   */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /**
   * A uniform float in [0, 1) with 53 random bits.
   *
   * @example
   * const u = new Generator(0).random();
   * u >= 0 && u < 1; // true
   */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Fills `out[from..to)` with uniform floats in [0, 1): the numbers {@link Generator.random}
   * would give one call at a time (a Float32Array rounds them), about 5x faster. For bulk random
   * tensors and masks.
   *
   * @example
   * const a = new Generator(7).fillRandom(new Float64Array(3));
   * const g = new Generator(7);
   * a[2] === (g.random(), g.random(), g.random()); // true
   */
  fillRandom<T extends Float32Array | Float64Array>(out: T, from = 0, to = out.length): T {
    const s = this.s;
    // the state in locals, so the loop runs on int32 registers
    let s0 = s[0]! | 0, s1 = s[1]! | 0, s2 = s[2]! | 0, s3 = s[3]! | 0;
    for (let i = from; i < to; i++) {
      // two steps of xoshiro128**, exactly as nextUint32
      const r1 = Math.imul(rot(Math.imul(s1, 5), 7), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rot(s3, 11);
      const r2 = Math.imul(rot(Math.imul(s1, 5), 7), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rot(s3, 11);
      out[i] = (r1 * 67108864 + r2) / 9007199254740992;
    }
    s[0] = s0; s[1] = s1; s[2] = s2; s[3] = s3;
    return out;
  }

  /**
   * Fills `out[from..to)` with uniform 32-bit unsigned integers: the numbers
   * {@link Generator.nextUint32} would give one call at a time. One step of the generator per
   * element (half the work of {@link Generator.fillRandom}); for masks drawn by comparing with a
   * threshold, such as dropout's.
   *
   * @example
   * const a = new Generator(3).fillUint32(new Uint32Array(2));
   * const g = new Generator(3);
   * a[1] === (g.nextUint32(), g.nextUint32()); // true
   */
  fillUint32(out: Uint32Array, from = 0, to = out.length): Uint32Array {
    const s = this.s;
    let s0 = s[0]! | 0, s1 = s[1]! | 0, s2 = s[2]! | 0, s3 = s[3]! | 0;
    for (let i = from; i < to; i++) {
      out[i] = Math.imul(rot(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rot(s3, 11);
    }
    s[0] = s0; s[1] = s1; s[2] = s2; s[3] = s3;
    return out;
  }

  /**
   * A standard normal sample (Box-Muller; the second value of each pair is kept for the next call).
   *
   * @example
   * const g = new Generator(0);
   * const xs = Array.from({ length: 10000 }, () => g.normal());
   * xs.reduce((a, b) => a + b, 0) / xs.length; // about 0
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [low, high).
   *
   * @example
   * const r = new Generator(0).randint(1, 7); // a die
   * r >= 1 && r <= 6; // true
   */
  randint(low: number, high: number): number {
    if (!(high > low)) throw new ValueError(`randint: expected low < high, got low=${low}, high=${high}`);
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * The full state, to save and restore with {@link Generator.setState}.
   *
   * @example
   * const g = new Generator(5);
   * const state = g.getState();
   * const a = g.random();
   * g.setState(state).random() === a; // true
   */
  getState(): number[] {
    return [...this.s, this.seed, this.spareNormal ?? NaN];
  }

  /**
   * Restores a state from {@link Generator.getState}.
   *
   * @example
   * const g = new Generator(5);
   * const state = g.getState();
   * const a = g.normal();
   * g.setState(state).normal() === a; // true
   */
  setState(state: readonly number[]): this {
    if (state.length !== 6) throw new ValueError(`setState: expected a state of 6 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i]!;
    this.seed = state[4]!;
    this.spareNormal = Number.isNaN(state[5]) ? null : state[5]!;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** {@link rotl} on int32 values (no conversion to unsigned). */
function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The generator used when none is passed (seed 0 until {@link manualSeed}).
 *
 * @example
 * manualSeed(3); // seeds defaultGenerator
 * defaultGenerator.initialSeed(); // 3
 * const a = rand([2]);
 * rand([2], { generator: defaultGenerator.manualSeed(3) }).sub(a).abs().max().item(); // 0
 */
export const defaultGenerator = new Generator(0);

/**
 * Seeds the default generator, so that every random op without an explicit generator gives the
 * same numbers on every run (PyTorch's `torch.manual_seed`). Returns the default generator.
 *
 * @example
 * manualSeed(0);
 * const a = randn([2, 2]);
 * manualSeed(0);
 * randn([2, 2]).sub(a).abs().max().item(); // 0 (same values on every run)
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

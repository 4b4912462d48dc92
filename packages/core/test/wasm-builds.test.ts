import { describe, expect, it, vi } from 'vitest';
import { Generator, randn } from '@tapegrad/core';
import { MAX_PAGES, WasmRuntime, kernelModule, relaxedSimdSupported } from '../src/kernels/wasm/module.js';

// The kernels come in four builds (ordinary or shared memory, with or without relaxed SIMD); the
// default picks one, so the conformance suite covers only that one here. These tests run the
// matrix product, the only kernel the builds differ in, on every build.

const names = ['wasmSingle', 'wasmShared', 'wasmSingleRelaxed', 'wasmSharedRelaxed'] as const;

function runtimeOf(name: (typeof names)[number]): WasmRuntime {
  const shared = name.startsWith('wasmShared');
  const relaxed = name.endsWith('Relaxed');
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared });
  return new WasmRuntime(kernelModule(shared, relaxed), memory, shared, relaxed);
}

/** `C = A B` (plus C when `beta` is 1) on one build; A is [M, K] or, with `ta`, stored as [K, M]. */
function sgemm(rt: WasmRuntime, M: number, N: number, K: number, a: Float32Array, ta: boolean, b: Float32Array, tb: boolean, c: Float32Array, beta: number): Float32Array {
  const mark = rt.mark();
  try {
    const pa = rt.put(a), pb = rt.put(b), pc = rt.put(c);
    const work = rt.alloc(rt.exports.sgemmWorkBytes());
    const [rsA, csA] = ta ? [1, M] : [K, 1];
    const [rsB, csB] = tb ? [1, K] : [N, 1];
    rt.exports.sgemm(M, N, K, pa, rsA, csA, pb, rsB, csB, pc, N, beta, work);
    return rt.f32.slice(pc >> 2, (pc >> 2) + M * N);
  } finally {
    rt.release(mark);
  }
}

const relaxedAvailable = relaxedSimdSupported();

describe('every wasm build multiplies matrices within float32 error bounds', () => {
  const g = new Generator(11);
  const data = (n: number) => randn([n], { generator: g }).data as Float32Array;
  // sizes around the 4x8 register tile and the 256-deep panels, including 1s
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 17, 5], [4, 8, 256], [17, 33, 300], [130, 9, 600]];
  for (const name of names) {
    const usable = name.endsWith('Relaxed') ? relaxedAvailable : true;
    it(`${name}${usable ? '' : ' (not run: this engine has no relaxed SIMD)'}`, () => {
      if (!usable) {
        expect(() => runtimeOf(name)).toThrow();
        return;
      }
      const rt = runtimeOf(name);
      for (const [M, N, K] of shapes)
        for (const ta of [false, true])
          for (const tb of [false, true])
            for (const beta of [0, 1]) {
              const a = data(M * K), b = data(K * N), c0 = data(M * N);
              const got = sgemm(rt, M, N, K, a, ta, b, tb, c0, beta);
              for (let i = 0; i < M; i++)
                for (let j = 0; j < N; j++) {
                  let s = beta ? c0[i * N + j]! : 0, mag = Math.abs(s);
                  for (let k = 0; k < K; k++) {
                    const p = a[ta ? k * M + i : i * K + k]! * b[tb ? j * K + k : k * N + j]!;
                    s += p;
                    mag += Math.abs(p);
                  }
                  // each of K + 1 roundings errs by at most 2^-24 of the running magnitude
                  expect(Math.abs(got[i * N + j]! - s), `${name} [${M},${N},${K}] ta=${ta} tb=${tb} beta=${beta} (${i},${j})`)
                    .toBeLessThanOrEqual((K + 2) * 2 ** -24 * mag + 1e-30);
                }
            }
    });
  }

  it('the relaxed builds compute a*b + c with one rounding or two, nothing else', () => {
    if (!relaxedAvailable) return expect(relaxedAvailable).toBe(false);
    // 1 x 1 product of depth 2: c = a0 b0 + a1 b1 with a0 b0 = (1 + 2^-12)^2 needing 25 bits
    const x = 1 + 2 ** -12;
    const a = Float32Array.of(x, -1), b = Float32Array.of(x, 1);
    const fused = Math.fround(x * x - 1); // round(a1 b1 + round(a0 b0)) with a1 b1 exact
    const unfused = Math.fround(Math.fround(x * x) - 1);
    expect(fused).not.toBe(unfused);
    for (const name of ['wasmSingleRelaxed', 'wasmSharedRelaxed'] as const) {
      const got = sgemm(runtimeOf(name), 1, 1, 2, a, false, b, false, new Float32Array(1), 0)[0];
      expect([fused, unfused]).toContain(got);
    }
    // the plain builds always round twice
    expect(sgemm(runtimeOf('wasmSingle'), 1, 1, 2, a, false, b, false, new Float32Array(1), 0)[0]).toBe(unfused);
  });
});

describe('choosing the build', () => {
  it('TAPEGRAD_RELAXED_SIMD=0 keeps the plain SIMD build', async () => {
    vi.resetModules();
    vi.stubEnv('TAPEGRAD_RELAXED_SIMD', '0');
    try {
      const kernels = await import('../src/kernels/index.js');
      expect(kernels.getCpuCapability()).toBe('simd128');
      const mod = await import('../src/kernels/wasm/module.js');
      expect(mod.wasmRuntime()!.relaxed).toBe(false);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
  it('the default is the relaxed build exactly when the engine validates relaxed SIMD', async () => {
    vi.resetModules();
    const kernels = await import('../src/kernels/index.js');
    expect(kernels.getCpuCapability()).toBe(relaxedAvailable ? 'relaxed-simd128' : 'simd128');
    vi.resetModules();
  });
});

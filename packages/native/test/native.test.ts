import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Generator, avgPool2d, conv2d, getBackend, getNumThreads, getRegisteredBackend, jsBackend, maxPool2d, nativeStatus, randn, registerBackend, searchsorted, setBackend, setNumThreads, tensor, where,
  type Conv2dGeometry, type DType, type Tensor, type View,
} from '@tapegrad/core';
import { loadAddon as loadAddonAny } from '../src/index.js';
import { makeNativeBackend } from '../../core/src/kernels/native/backend.js';
import type { Addon, AddonLoad } from '../../core/src/kernels/native/addon.js';

// The native backend as core registers it on Node (its default backend there when the addon
// loaded), and the addon's loader (this package's only export).
const ROOT = join(__dirname, '..'); // (this package is CommonJS; vitest defines __dirname)
const initialBackend = getBackend();
const status = nativeStatus();
const nativeBackend = getRegisteredBackend('native') ?? null;
const loadAddon = (...a: Parameters<typeof loadAddonAny>) => loadAddonAny(...a) as AddonLoad;
const threadsBefore = getNumThreads();
afterEach(() => setBackend('js'));
afterAll(() => setNumThreads(threadsBefore));

/** A view of random normal values in `dtype`, with the given layout. */
let seed = 1;
function view(shape: number[], dtype: 'float32' | 'float64', layout: 'dense' | 'offset' | 'transposed' = 'dense'): View {
  const n = shape.reduce((a, b) => a * b, 1);
  const src = randn([n + 3], { generator: new Generator(seed++), dtype: 'float64' }).data as Float64Array;
  const data = dtype === 'float32' ? Float32Array.from(src) : Float64Array.from(src);
  const stride = contiguous(shape);
  if (layout === 'offset') return { data, shape, stride, offset: 3, size: n };
  if (layout === 'transposed') return { data, shape, stride: contiguous([...shape].reverse()).reverse(), offset: 0, size: n };
  return { data, shape, stride, offset: 0, size: n };
}

/**
 * Views of a [30, 40] array's 1200 elements for the line kernels (scans, sort): [6, 5, 40]
 * permuted from [5, 6, 40] (no merge around any dim: copied first), a broadcast row, a slice
 * with an offset, and a swap of the outer dims.
 */
function lineViews(flat: View): View[] {
  return [
    { ...flat, shape: [6, 5, 40], stride: [40, 240, 1] },
    { ...flat, shape: [20, 40], stride: [0, 1], size: 800 },
    { ...flat, shape: [12, 3, 20], stride: [60, 20, 1], offset: 7, size: 720 },
    swap({ ...flat, shape: [6, 5, 40], stride: [200, 40, 1] }, 0, 2),
  ];
}

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** The logical elements of a view, row-major. */
function values(v: View): number[] {
  const out: number[] = [];
  const nd = v.shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < v.size; k++) {
    let p = v.offset;
    for (let d = 0; d < nd; d++) p += idx[d]! * v.stride[d]!;
    out.push(v.data[p]!);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < v.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** `v`'s dims `i` and `j` swapped (a free transpose). */
function swap(v: View, i: number, j: number): View {
  const shape = [...v.shape], stride = [...v.stride];
  [shape[i], shape[j]] = [shape[j]!, shape[i]!];
  [stride[i], stride[j]] = [stride[j]!, stride[i]!];
  return { ...v, shape, stride };
}

describe('native backend status', () => {
  it('reports the instruction set when the addon loaded, or why it did not', () => {
    if (status.available) {
      expect(['avx512', 'avx2', 'generic']).toContain(status.isa);
      expect(status.reason).toBeNull();
      expect(nativeBackend?.name).toBe('native');
      expect(initialBackend).toBe('native');
    } else {
      expect(status.reason).toMatch(/./);
      expect(nativeBackend).toBeNull();
    }
  });

  it('says why when TAPEGRAD_NATIVE=0 is set or the .node file is missing', () => {
    expect(loadAddon({ TAPEGRAD_NATIVE: '0' }).reason).toBe('TAPEGRAD_NATIVE=0 is set');
    const missing = loadAddon({ TAPEGRAD_NATIVE_ADDON: '/nonexistent/tapegrad_native.node' });
    expect(missing.addon).toBeNull();
    expect(missing.reason).toContain('/nonexistent/tapegrad_native.node does not exist');
  });

  it('with TAPEGRAD_NATIVE=0 core registers no native backend, keeps the wasm default, and says why', async () => {
    vi.resetModules();
    vi.stubEnv('TAPEGRAD_NATIVE', '0');
    try {
      const core = await import('@tapegrad/core');
      expect(core.nativeStatus()).toEqual({ available: false, isa: null, reason: 'TAPEGRAD_NATIVE=0 is set', path: null });
      expect(core.getRegisteredBackend('native')).toBeUndefined();
      expect(core.getBackend()).toBe(core.getRegisteredBackend('wasm') ? 'wasm' : 'js');
      expect(() => core.setBackend('native')).toThrow(
        `setBackend: unknown backend "native" (the native addon is unavailable: TAPEGRAD_NATIVE=0 is set); available: ${core.getRegisteredBackend('wasm') ? 'js, wasm' : 'js'}`,
      );
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it("setBackend('native') says why when the addon failed to build or load", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-native-'));
    vi.resetModules();
    try {
      // what a failed build leaves: build/unavailable.txt with the compiler's complaint
      mkdirSync(join(dir, 'build'));
      writeFileSync(join(dir, 'build', 'unavailable.txt'), 'g++ failed: broken.cc:1: error: expected unqualified-id\n');
      expect(loadAddon({}, dir).reason).toBe('not built at install: g++ failed: broken.cc:1: error: expected unqualified-id');
      // a .node file that is not a shared object: the loader's error
      writeFileSync(join(dir, 'broken.node'), 'not an addon');
      vi.stubEnv('TAPEGRAD_NATIVE_ADDON', join(dir, 'broken.node'));
      const core = await import('@tapegrad/core');
      expect(core.getRegisteredBackend('native')).toBeUndefined();
      expect(core.nativeStatus().reason).toContain(`could not load ${join(dir, 'broken.node')}: `);
      expect(() => core.setBackend('native')).toThrow(`setBackend: unknown backend "native" (the native addon is unavailable: could not load ${join(dir, 'broken.node')}: `);
      expect(core.getBackend()).not.toBe('native');
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the install script succeeds and records the reason when the build is skipped or fails to compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-native-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(ROOT, 'scripts', 'build-addon.mjs'), join(dir, 'scripts', 'build-addon.mjs'));
      const run = (env: Record<string, string>) =>
        spawnSync(process.execPath, [join(dir, 'scripts', 'build-addon.mjs')], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
      const skipped = run({ TAPEGRAD_NATIVE_SKIP_BUILD: '1' });
      expect(skipped.status).toBe(0);
      expect(readFileSync(join(dir, 'build', 'unavailable.txt'), 'utf8')).toContain('TAPEGRAD_NATIVE_SKIP_BUILD=1');
      expect(loadAddon({}, dir).reason).toBe('not built at install: TAPEGRAD_NATIVE_SKIP_BUILD=1 was set at install');
      // a source that does not compile
      writeFileSync(join(dir, 'binding.gyp'), "{ 'targets': [{ 'target_name': 'tapegrad_native', 'sources': ['broken.cc'] }] }");
      writeFileSync(join(dir, 'broken.cc'), 'this is not C++;\n');
      const failed = run({});
      expect(failed.status).toBe(0);
      expect(failed.stderr).toContain('@tapegrad/native: not built');
      expect(loadAddon({}, dir).reason).toMatch(/^not built at install: /);
      expect(existsSync(join(dir, 'build', 'Release', 'tapegrad_native.node'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

const be = nativeBackend;
if (!be) {
  describe('native kernels', () => {
    it.skip(`are skipped: the native backend is unavailable (${status.reason})`, () => {});
  });
} else {
  describe('native matmul', () => {
    /** [batch, M, K, N]: odd sizes, edges of every tile, a depth over several KC blocks */
    const sizes: Array<[number, number, number, number]> = [
      [1, 1, 1, 1], [1, 13, 5, 37], [2, 17, 3, 33], [3, 25, 129, 31], [1, 97, 300, 70], [1, 1, 600, 3], [1, 130, 0, 7],
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      it(`matches the reference in ${dtype}, every transpose layout, batched`, () => {
        for (const [B, M, K, N] of sizes)
          for (const ta of [false, true])
            for (const tb of [false, true]) {
              const a = ta ? swap(view([B, K, M], dtype), 1, 2) : view([B, M, K], dtype, 'offset');
              const b = tb ? swap(view([B, N, K], dtype), 1, 2) : view([B, K, N], dtype);
              const got = be.matmul(a, b, dtype);
              const want = jsBackend.matmul(a, b, dtype);
              expect(got.shape).toEqual([B, M, N]);
              expect(got.data.constructor).toBe(want.data.constructor);
              const tol = dtype === 'float32' ? 1e-6 * Math.sqrt(K + 1) * 8 : 1e-13 * (K + 1);
              expect(values(got)).toBeAllClose(values(want), { rtol: tol, atol: tol });
            }
      });
    }

    it('takes a weight shared by every batch (stride 0) and negative strides', () => {
      const w = view([40, 24], 'float32');
      const wb: View = { ...w, shape: [5, 40, 24], stride: [0, 24, 1] };
      const x = view([5, 30, 40], 'float32', 'transposed');
      expect(values(be.matmul(x, wb, 'float32'))).toBeAllClose(values(jsBackend.matmul(x, wb, 'float32')), { rtol: 1e-5, atol: 1e-5 });
      // rows read backwards: element (r, c) at offset + (9 - r) * 12 + c
      const d = view([10, 12], 'float64');
      const flipped: View = { data: d.data, shape: [1, 10, 12], stride: [0, -12, 1], offset: 9 * 12, size: 120 };
      const y = view([1, 12, 7], 'float64');
      expect(values(be.matmul(flipped, y, 'float64'))).toBeAllClose(values(jsBackend.matmul(flipped, y, 'float64')), { rtol: 1e-12, atol: 1e-12 });
    });

    it('multiplies many batches a chunk at a time (packed operands over 64 MB), as one batch at a time', () => {
      // 250 batches of [1, 1024] x [1024, 64] (the weight shared, stride 0) pack ~78 MB: chunks
      // of 215 batches (each batch's packed slivers take ~311 KB)
      const a = view([250, 1, 1024], 'float32', 'offset');
      const w = view([1024, 64], 'float32');
      const b: View = { ...w, shape: [250, 1024, 64], stride: [0, 64, 1], size: 250 * 1024 * 64 };
      const all = be.matmul(a, b, 'float32');
      const one = (p: number) => be.matmul({ ...a, shape: [1, 1, 1024], offset: a.offset + p * 1024, size: 1024 }, { ...b, shape: [1, 1024, 64], size: 1024 * 64 }, 'float32');
      for (const p of [0, 1, 214, 215, 249]) expect(Array.from(all.data.subarray(p * 64, (p + 1) * 64))).toEqual(Array.from(one(p).data));
      expect(values(all)).toBeAllClose(values(jsBackend.matmul(a, b, 'float32')), { rtol: 1e-4, atol: 1e-4 });
    });

    it('gives the same bits on one, two and three threads', () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const a = view([2, 300, 257], dtype);
        const b = swap(view([2, 190, 257], dtype), 1, 2);
        const runs = [1, 2, 3].map((n) => {
          setNumThreads(n);
          return Array.from(be.matmul(a, b, dtype).data);
        });
        expect(runs[1]).toEqual(runs[0]);
        expect(runs[2]).toEqual(runs[0]);
      }
    });

    it('leaves int32 and mixed-dtype products to the reference', () => {
      const a: View = { data: Int32Array.from({ length: 6 }, (_, i) => i), shape: [1, 2, 3], stride: [6, 3, 1], offset: 0, size: 6 };
      const b: View = { data: Int32Array.from({ length: 6 }, (_, i) => 2 * i), shape: [1, 3, 2], stride: [6, 2, 1], offset: 0, size: 6 };
      expect(values(be.matmul(a, b, 'int32'))).toEqual(values(jsBackend.matmul(a, b, 'int32')));
    });
  });

  describe('native element-wise ops and sums', () => {
    const pairs: Array<[number[], number[]]> = [[[1000], [1000]], [[17, 33], [33]], [[17, 33], [17, 1]], [[1], [64, 3]], [[7, 1, 9], [1, 8, 9]], [[70000], [1]]];
    const bshape = (a: number[], b: number[]) => {
      const n = Math.max(a.length, b.length);
      return Array.from({ length: n }, (_, i) => {
        const da = a[i - (n - a.length)] ?? 1, db = b[i - (n - b.length)] ?? 1;
        return da === 1 ? db : da;
      });
    };
    const broadcast = (v: View, shape: number[]): View => {
      const lead = shape.length - v.shape.length;
      const stride = shape.map((d, i) => (i < lead || (v.shape[i - lead] === 1 && d !== 1) ? 0 : v.stride[i - lead]!));
      return { ...v, shape, stride, size: shape.reduce((x, y) => x * y, 1) };
    };
    for (const dtype of ['float32', 'float64'] as const) {
      it(`add, sub, mul, div and reluBackward match the reference in ${dtype}, broadcast and strided`, () => {
        for (const op of ['add', 'sub', 'mul', 'div', 'reluBackward'] as const)
          for (const [sa, sb] of pairs)
            for (const layout of ['dense', 'offset', 'transposed'] as const) {
              const shape = bshape(sa, sb);
              const a = broadcast(view(sa, dtype, layout), shape), b = broadcast(view(sb, dtype, 'offset'), shape);
              expect(values(be.binary(op, a, b, dtype))).toEqual(values(jsBackend.binary(op, a, b, dtype)));
              const out = view(shape, dtype, 'offset');
              be.binaryInto(op, a, b, out);
              expect(values(out)).toEqual(values(jsBackend.binary(op, a, b, dtype)));
            }
      });
      it(`exp, log, tanh, sigmoid, relu and neg match the reference in ${dtype}`, () => {
        for (const op of ['exp', 'log', 'tanh', 'sigmoid', 'relu', 'neg'] as const)
          for (const shape of [[1], [17], [7, 33], [70001]])
            for (const layout of ['dense', 'offset', 'transposed'] as const) {
              let x = view(shape, dtype, layout);
              if (op === 'log') x = { ...x, data: x.data.map(Math.abs) };
              const want = values(jsBackend.unary(op, x, dtype));
              const tol = dtype === 'float32' ? { rtol: 2.5e-7, atol: 1e-30 } : { rtol: 0, atol: 0 };
              expect(values(be.unary(op, x, dtype))).toBeAllClose(want, tol);
              const out = view(shape, dtype, 'offset');
              be.unaryInto(op, x, out);
              expect(values(out)).toBeAllClose(want, tol);
            }
      });
      it(`sum over leading, middle, trailing, all and scattered dims matches the reference in ${dtype}, strided input included`, () => {
        // (below 512 elements the js kernel runs)
        const cases: Array<[number[], number[]]> = [[[1000], [0]], [[70, 33], [1]], [[70, 33], [0]], [[8, 9, 10], [1]], [[8, 9, 10], [0, 1, 2]], [[4, 6, 5, 7], [1, 2]], [[100003], [0]], [[30, 0, 20], [1]],
          [[4, 6, 5, 7], [0, 2]], [[16, 8, 6, 6], [0, 2, 3]], [[9, 10, 11], [0, 2]], [[32, 12, 20, 20], [0, 2, 3]]];
        for (const [shape, dims] of cases)
          for (const layout of ['dense', 'offset', 'transposed'] as const) {
            const x = view(shape, dtype, layout);
            const got = be.reduce('sum', x, dims, dtype);
            const want = jsBackend.reduce('sum', x, dims, dtype);
            expect(got.shape).toEqual(want.shape);
            expect(values(got)).toBeAllClose(values(want), { rtol: dtype === 'float32' ? 1e-6 : 1e-12, atol: 1e-9 });
          }
      });
    }

    it('a sum into few outputs (a conv bias gradient: 12 channels of 12,800 elements) splits them across threads, the same bits on 1-3 threads', () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = view([32, 12, 20, 20], dtype, 'offset');
        const runs = [1, 2, 3].map((n) => (setNumThreads(n), Array.from(be.reduce('sum', x, [0, 2, 3], dtype).data)));
        expect(runs[1]).toEqual(runs[0]);
        expect(runs[2]).toEqual(runs[0]);
      }
    });

    it('float32 exp, log, tanh and sigmoid are within 2 ulp of the correctly rounded value over their range, specials included', () => {
      const n = 200_000;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = (i / n) * 220 - 110;
      const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 88.7, 89, -87.3, -103, -104.5, 1e30, -1e30, 0.625, -0.625];
      const xs = Float32Array.from([...x, ...specials]);
      const ulp = (v: number) => {
        const f = new Float32Array([Math.abs(v)]);
        const i = new Int32Array(f.buffer);
        const lo = f[0]!;
        i[0]! += 1;
        return f[0]! - lo || 1.4e-45;
      };
      const refs: Record<string, (v: number) => number> = {
        exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)),
      };
      for (const [op, f] of Object.entries(refs)) {
        const input = op === 'log' ? xs.map((v) => (v > -1e-30 || Number.isNaN(v) ? v : Math.exp(v / 3))) : xs;
        const got = be.unary(op as 'exp', { data: input, shape: [input.length], stride: [1], offset: 0, size: input.length }, 'float32').data;
        let worst = 0;
        for (let i = 0; i < input.length; i++) {
          const want = Math.fround(f(input[i]!));
          if (Number.isNaN(want) || !Number.isFinite(want)) {
            expect(Object.is(got[i], want) || (Number.isNaN(want) && Number.isNaN(got[i]))).toBe(true);
            continue;
          }
          worst = Math.max(worst, Math.abs(got[i]! - want) / ulp(want));
        }
        expect(worst, op).toBeLessThanOrEqual(2);
      }
    });
  });

  describe('native conv2d', () => {
    /** [x shape, w shape, geometry, bias] */
    const cases: Array<[number[], number[], { stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number }, boolean]> = [
      [[2, 3, 9, 11], [4, 3, 3, 3], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, true],
      [[3, 2, 8, 7], [5, 2, 3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 1], groups: 1 }, false],
      [[1, 4, 10, 10], [6, 2, 3, 3], { stride: [1, 2], padding: [2, 1], dilation: [2, 1], groups: 2 }, true],
      [[2, 6, 5, 4], [6, 1, 1, 1], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 6 }, false],
      [[3, 5, 4, 6], [7, 5, 1, 1], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, true],
      [[5, 1, 28, 28], [8, 1, 5, 5], { stride: [1, 1], padding: [2, 2], dilation: [1, 1], groups: 1 }, true],
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      it(`forward and both backward passes match the reference in ${dtype} (stride, padding, dilation, groups, 1x1)`, () => {
        const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-11, atol: 1e-12 };
        for (const [xs, ws, g, withBias] of cases) {
          const x = view(xs, dtype, 'offset'), w = view(ws, dtype);
          const bias = withBias ? view([ws[0]!], dtype) : null;
          const y = be.conv2d(x, w, g, bias);
          const want = jsBackend.conv2d(x, w, g, bias);
          expect(y.shape).toEqual(want.shape);
          expect(values(y)).toBeAllClose(values(want), tol);
          const grad = view(want.shape, dtype, 'transposed');
          expect(values(be.conv2dBackwardInput(grad, w, xs, g))).toBeAllClose(values(jsBackend.conv2dBackwardInput(grad, w, xs, g)), tol);
          expect(values(be.conv2dBackwardWeight(x, grad, ws, g))).toBeAllClose(values(jsBackend.conv2dBackwardWeight(x, grad, ws, g)), tol);
        }
      });
    }
    it('gives the same bits on one, two and three threads', () => {
      const x = view([6, 3, 20, 20], 'float32'), w = view([16, 3, 3, 3], 'float32');
      const g = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
      const grad = view([6, 16, 20, 20], 'float32');
      const runs = [1, 2, 3].map((n) => {
        setNumThreads(n);
        return [be.conv2d(x, w, g), be.conv2dBackwardInput(grad, w, x.shape, g), be.conv2dBackwardWeight(x, grad, w.shape, g)].map((v) => Array.from(v.data));
      });
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
    it('takes a batch narrowed out of a larger array and a transposed gradient as they are (no js copy), and refuses a parameter block that does not fit its arrays', () => {
      const x = view([4, 3, 9, 9], 'float32'), w = view([5, 3, 3, 3], 'float32');
      const g = { stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
      // images 1..2 of x: an offset view into the whole array, as images.narrow(0, 1, 2) gives
      const part: View = { ...x, shape: [2, 3, 9, 9], offset: 243, size: 486 };
      const grad = view([2, 5, 7, 7], 'float32', 'transposed');
      const assign = vi.spyOn(jsBackend, 'assign');
      const got = [be.conv2d(part, w, g), be.conv2dBackwardWeight(part, grad, w.shape, g)];
      expect(assign).not.toHaveBeenCalled();
      assign.mockRestore();
      expect(values(got[0]!)).toBeAllClose(values(jsBackend.conv2d(part, w, g)), { rtol: 1e-4, atol: 1e-5 });
      expect(values(got[1]!)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(part, grad, w.shape, g)), { rtol: 1e-4, atol: 1e-5 });
      // the addon itself: the geometry of 4 images over arrays that hold 2
      const addon = loadAddon().addon!;
      const p = new Float64Array([4, 3, 9, 9, 5, 3, 3, 1, 1, 0, 0, 1, 1, 1, 7, 7, 2]);
      expect(() => addon.conv(0, new Float32Array(486), w.data as Float32Array, null, new Float32Array(490), p)).toThrow('conv: the parameter block does not fit the arrays');
      p[0] = 2;
      expect(() => addon.conv(0, new Float32Array(486), w.data as Float32Array, null, new Float32Array(490), p)).not.toThrow();
    });
  });

  describe('the addon refuses a parameter block that reaches outside its arrays', () => {
    // core computes these blocks; a bug there must throw, not read or write past an array
    const f = (n: number) => new Float32Array(n);
    const P = (...v: number[]) => Float64Array.from(v);
    const addon = (): Addon => loadAddon().addon!;
    it('gemm: an operand or the output too short, an offset past the end', () => {
      const ok = P(0, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1);
      expect(() => addon().gemm(f(16), f(16), f(16), ok)).not.toThrow();
      expect(() => addon().gemm(f(15), f(16), f(16), ok)).toThrow('gemm: the parameter block does not fit the arrays');
      expect(() => addon().gemm(f(16), f(16), f(15), ok)).toThrow('gemm: the parameter block does not fit the arrays');
      expect(() => addon().gemm(f(16), f(16), f(16), P(1, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1))).toThrow('gemm: the parameter block does not fit the arrays');
      // with a bias: its N values from the offset in params[13]
      expect(() => addon().gemm(f(16), f(16), f(16), P(0, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1, 2), f(6))).not.toThrow();
      expect(() => addon().gemm(f(16), f(16), f(16), P(0, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1, 3), f(6))).toThrow('gemm: the parameter block does not fit the arrays');
      expect(() => addon().gemm(f(16), f(16), f(16), P(0, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1, -1), f(6))).toThrow('gemm: the parameter block does not fit the arrays');
      expect(() => addon().gemm(f(16), f(16), f(16), P(0, 0, 4, 1, 0, 0, 4, 1, 1, 4, 4, 4, 1, 0), new Float64Array(4))).toThrow('gemm: a, b, c (and bias) must all be Float32Array or all Float64Array');
    });
    it('binary, unary, sum, sumDims and maxPool: a view or run past the end, a negative offset', () => {
      const bin = (aLen: number, bOff: number) => addon().binary(0, f(aLen), f(8), f(8), P(1, 1, 0, bOff, 0, 8, 1, 1, 1));
      expect(() => bin(8, 0)).not.toThrow();
      expect(() => bin(7, 0)).toThrow('binary: the parameter block does not fit the arrays');
      expect(() => bin(8, -1)).toThrow('binary: the parameter block does not fit the arrays');
      expect(() => addon().unary(0, f(8), f(8), P(8, 1, 0, 0))).not.toThrow();
      expect(() => addon().unary(0, f(8), f(8), P(8, 1, 1, 0))).toThrow('unary: the parameter block does not fit the arrays');
      expect(() => addon().sum(f(12), f(3), P(1, 0, 3, 4, 1))).not.toThrow();
      expect(() => addon().sum(f(12), f(3), P(1, 0, 3, 5, 1))).toThrow('sum: the parameter block does not fit the arrays');
      expect(() => addon().sumDims(f(12), f(3), P(1, 0, 1, 1, 3, 4, 4, 1))).not.toThrow();
      expect(() => addon().sumDims(f(12), f(3), P(1, 0, 1, 1, 3, 5, 4, 1))).toThrow('sumDims: the parameter block does not fit the arrays');
      const pool = (H: number) => addon().maxPool(f(16), f(4), new Int32Array(4), P(1, H, 4, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, 1));
      expect(() => pool(4)).not.toThrow();
      // a plane of 3 rows cannot hold two windows of 2 rows at stride 2
      expect(() => pool(3)).toThrow('maxPool: the parameter block does not fit the arrays');
      expect(() => addon().maxPool(f(15), f(4), new Int32Array(4), P(1, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, 1))).toThrow('maxPool: the parameter block does not fit the arrays');
    });
    it('attention and its gradient: an operand, an output or the offsets too short, a batch offset past the end', () => {
      // 2 items of q [3, 4], k [5, 4], v [5, 2], each in its own contiguous block
      const fwd = (q: number, out: number, offs: number[], w = 30) => () =>
        addon().attention(f(q), f(40), f(20), f(out), f(w), Float64Array.from(offs), P(2, 3, 5, 4, 2, 4, 4, 2, 0.5, 1, 1));
      const ok = [0, 0, 0, 12, 20, 10];
      expect(fwd(24, 12, ok)).not.toThrow();
      expect(fwd(23, 12, ok)).toThrow('attention: operands outside their arrays');
      expect(fwd(24, 11, ok)).toThrow('attention: operands outside their arrays');
      expect(fwd(24, 12, ok, 29)).toThrow('attention: operands outside their arrays');
      expect(fwd(24, 12, ok.slice(0, 5))).toThrow('attention: operands outside their arrays');
      expect(fwd(24, 12, [0, 0, 0, 13, 20, 10])).toThrow('attention: operands outside their arrays');
      expect(fwd(24, 12, [0, -1, 0, 12, 20, 10])).toThrow('attention: operands outside their arrays');
      const bwd = (dk: number, offs: number[]) => () =>
        addon().attentionBackward(f(12), f(24), f(40), f(20), f(30), f(24), f(dk), f(20), Float64Array.from(offs), P(2, 3, 5, 4, 2, 2, 4, 4, 2, 0.5, 1));
      const okb = [0, 0, 0, 0, 6, 12, 20, 10];
      expect(bwd(40, okb)).not.toThrow();
      expect(bwd(39, okb)).toThrow('attentionBackward: operands outside their arrays');
      expect(bwd(40, [0, 0, 0, 0, 7, 12, 20, 10])).toThrow('attentionBackward: operands outside their arrays');
      expect(() => addon().attentionBackward(f(12), f(24), f(40), f(20), f(30), f(24), f(40), new Float64Array(20) as never, Float64Array.from(okb), P(2, 3, 5, 4, 2, 2, 4, 4, 2, 0.5, 1)))
        .toThrow('attentionBackward: expected Float32Array g, q, k, v, weights, dq, dk, dv and Float64Array offsets, params (11)');
      expect(() => addon().attention(f(24), f(40), f(20), f(12), f(30), f(6) as never, P(2, 3))).toThrow('attention: expected Float32Array q, k, v, out, weights and Float64Array offsets, params (11)');
    });
    it('lstmCell and its gradient: gates, state or outputs too short, a row stride or offset past the end', () => {
      // b = 2 rows, H = 3: gates [2, 12], c [2, 3], out [2, 6], act [2, 12]
      const fwd = (gi: number, p: number[]) => () => addon().lstmCell(f(gi), f(24), f(6), f(12), f(24), P(...p));
      expect(fwd(24, [2, 3, 12, 0, 12, 0, 3, 0, 1])).not.toThrow();
      expect(fwd(23, [2, 3, 12, 0, 12, 0, 3, 0, 1])).toThrow('lstmCell: operands outside their arrays');
      expect(fwd(24, [2, 3, 13, 0, 12, 0, 3, 0, 1])).toThrow('lstmCell: operands outside their arrays');
      expect(fwd(24, [2, 3, 12, 1, 12, 0, 3, 0, 1])).toThrow('lstmCell: operands outside their arrays');
      expect(fwd(24, [2, 3, 12, 0, 12, 0, 3, 4, 1])).toThrow('lstmCell: operands outside their arrays');
      expect(() => addon().lstmCell(f(24), f(24), f(6), f(11), f(24), P(2, 3, 12, 0, 12, 0, 3, 0, 1))).toThrow('lstmCell: operands outside their arrays');
      const bwd = (dc: number, p: number[]) => () => addon().lstmCellBackward(f(12), f(24), f(6), f(24), f(dc), P(...p));
      expect(bwd(6, [2, 3, 6, 0, 3, 0, 1])).not.toThrow();
      expect(bwd(5, [2, 3, 6, 0, 3, 0, 1])).toThrow('lstmCellBackward: operands outside their arrays');
      expect(bwd(6, [2, 3, 7, 0, 3, 0, 1])).toThrow('lstmCellBackward: operands outside their arrays');
      expect(() => addon().lstmCellBackward(f(12), f(24), f(6), f(24), f(6), P(2, 3, 6, 0, 3, 0))).toThrow('lstmCellBackward: expected Float32Array g, act, c, dgates, dc and a Float64Array of 7 params');
      expect(() => addon().lstmCell(f(24), f(24), f(6), f(12), f(24), P(2, 3))).toThrow('lstmCell: expected Float32Array gi, gh, c, out, act and a Float64Array of 9 params');
    });
  });

  describe('native max pooling and its gradient route', () => {
    const overJs = makeNativeBackend(loadAddon().addon!, jsBackend);
    for (const dtype of ['float32', 'float64'] as const) {
      it(`maxPool2d gives the reference's values and argmax in ${dtype} (stride, padding, dilation, NaN)`, () => {
        const cases: Array<[number[], [number, number], { stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number }]> = [
          [[4, 8, 26, 26], [2, 2], { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 }],
          [[2, 3, 11, 9], [3, 2], { stride: [2, 1], padding: [1, 1], dilation: [1, 2], groups: 1 }],
        ];
        for (const [xs, k, g] of cases) {
          for (const layout of ['transposed', 'dense'] as const) {
            const x = view(xs, dtype, layout);
            x.data[5] = NaN;
            x.data[7] = -Infinity;
            x.data[x.data.length - 2] = NaN;
            // the native kernel (which runs when the base is not wasm) and the backend as registered
            for (const b of [overJs, be]) {
              const got = b.maxPool2d(x, k, g), want = jsBackend.maxPool2d(x, k, g);
              expect(got.out.shape).toEqual(want.out.shape);
              expect(values(got.out)).toEqual(values(want.out));
              expect(values(got.argmax)).toEqual(values(want.argmax));
            }
          }
        }
      });
      it(`maxPool2d's native kernel gives the reference's argmax on ties, all -Infinity windows and 1-3 threads in ${dtype}`, () => {
        const g = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
        const x = view([3, 5, 9, 7], dtype);
        for (let i = 0; i < x.data.length; i++) x.data[i] = i % 5 === 0 ? -Infinity : Math.round(x.data[i]!);
        for (const threads of [1, 2, 3]) {
          setNumThreads(threads);
          const got = overJs.maxPool2d(x, [3, 3], g), want = jsBackend.maxPool2d(x, [3, 3], g);
          expect(values(got.out)).toEqual(values(want.out));
          expect(values(got.argmax)).toEqual(values(want.argmax));
        }
      });
      it(`scatterAdd along the last dim gives the reference's bits in ${dtype}, duplicate indices included`, () => {
        const [R, M, L] = [40, 50, 30];
        const index: View = { data: Int32Array.from({ length: R * L + 2 }, (_, i) => (i * 7919) % M), shape: [4, 10, L], stride: [10 * L, L, 1], offset: 2, size: R * L };
        const src = view([4, 10, L], dtype, 'offset');
        for (const x of [view([4, 10, M], dtype, 'transposed'), { ...view([1], dtype), shape: [4, 10, M], stride: [0, 0, 0], size: R * M }]) {
          expect(values(be.scatterAdd(x, 2, index, src))).toEqual(values(jsBackend.scatterAdd(x, 2, index, src)));
        }
      });
    }
  });

  describe('native fused optimizer steps', () => {
    const arr = (dtype: 'float32' | 'float64', n: number, positive = false) => {
      const v = view([n], dtype);
      return (positive ? v.data.map(Math.abs) : v.data).slice(0, n) as Float32Array | Float64Array;
    };
    for (const dtype of ['float32', 'float64'] as const) {
      it(`adamUpdate gives the reference's bits in ${dtype}, every variant, on 1-3 threads`, () => {
        const base = { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-8, l2: 0, decay: 1, maximize: false };
        const variants = [base, { ...base, l2: 0.01 }, { ...base, decay: 0.999, maximize: true }, { ...base, l2: 0.1, decay: 0.99 }];
        for (const h of variants)
          for (const amsgrad of [false, true])
            for (const threads of [1, 2, 3]) {
              setNumThreads(threads);
              const n = 70001;
              const p = arr(dtype, n), g = arr(dtype, n), m = arr(dtype, n), v = arr(dtype, n, true), vm = amsgrad ? arr(dtype, n, true) : null;
              const [p2, m2, v2, vm2] = [p.slice(), m.slice(), v.slice(), vm?.slice() ?? null];
              be.adamUpdate(p, g, m, v, vm, h);
              jsBackend.adamUpdate(p2, g, m2, v2, vm2, h);
              expect(Array.from(p)).toEqual(Array.from(p2));
              expect(Array.from(m)).toEqual(Array.from(m2));
              expect(Array.from(v)).toEqual(Array.from(v2));
              if (vm) expect(Array.from(vm)).toEqual(Array.from(vm2!));
            }
      });
      it(`sgdUpdate gives the reference's bits in ${dtype}, every variant`, () => {
        const base = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, firstStep: false };
        const variants = [base, { ...base, momentum: 0 }, { ...base, nesterov: true, weightDecay: 0.01 }, { ...base, dampening: 0.5, maximize: true }, { ...base, firstStep: true }];
        for (const h of variants) {
          const n = 70001;
          const p = arr(dtype, n), g = arr(dtype, n), b = arr(dtype, n);
          const [p2, b2] = [p.slice(), b.slice()];
          be.sgdUpdate(p, g, b, h);
          jsBackend.sgdUpdate(p2, g, b2, h);
          expect(Array.from(p)).toEqual(Array.from(p2));
          expect(Array.from(b)).toEqual(Array.from(b2));
        }
      });
    }
  });

  describe('other instruction sets', () => {
    // the kernels for AVX2 and the portable ones, forced in a child process
    for (const isa of ['avx2', 'generic']) {
      it(`${isa}: the matrix product and the float32 maps agree with a plain loop`, () => {
        const script = `
          const a = require(${JSON.stringify(status.path)});
          if (a.isa() !== ${JSON.stringify(isa)}) { console.log('isa ' + a.isa()); process.exit(0); }
          let worst = 0;
          for (const [M, N, K] of [[13, 37, 5], [70, 41, 300], [1, 9, 1]]) for (const T of [Float32Array, Float64Array]) {
            const A = new T(M * K).map((_, i) => Math.sin(i)), B = new T(K * N).map((_, i) => Math.cos(i)), C = new T(M * N);
            a.gemm(A, B, C, new Float64Array([0, 0, K, 1, 0, 0, N, 1, 1, M, N, K, 2]));
            for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
              let s = 0; for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
              worst = Math.max(worst, Math.abs(C[i * N + j] - s) / (1 + Math.abs(s)));
            }
          }
          const x = new Float32Array(1000).map((_, i) => i / 50 - 10), y = new Float32Array(1000);
          a.unary(0, x, y, new Float64Array([1000, 1, 0, 0]));
          for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(y[i] - Math.exp(x[i])) / Math.exp(x[i]) / 1e2);
          console.log('isa ' + a.isa() + ' worst ' + worst);
        `;
        const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TAPEGRAD_NATIVE_ISA: isa }, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        const [, got, , worst] = r.stdout.trim().split(' ');
        if (got !== isa) return; // this machine lacks it (avx2 on a non-x86 build)
        expect(Number(worst)).toBeLessThan(1e-5);
      });
    }
  });

  /** Ops of one input [7, 40], forward and backward, on the native backend and on the reference. */
  const ops: Array<[string, (x: Tensor) => Tensor]> = [
    ['exp', (x) => x.exp()], ['log', (x) => x.abs().add(0.1).log()], ['tanh', (x) => x.tanh()], ['sigmoid', (x) => x.sigmoid()],
    ['relu', (x) => x.relu()], ['neg', (x) => x.neg()], ['add', (x) => x.add(x.mul(0.5))], ['sub (bias row)', (x) => x.sub(x.sum(0))],
    ['mul (column)', (x) => x.mul(x.amax(1, { keepdim: true }))], ['div', (x) => x.div(x.abs().add(1))],
    ['sum', (x) => x.sum(1)], ['mean', (x) => x.mean(0)], ['softmax', (x) => x.softmax(1)], ['logSoftmax', (x) => x.logSoftmax(1)],
    ['matmul', (x) => x.matmul(x.mT)], ['matmul T', (x) => x.mT.matmul(x)], ['transpose exp', (x) => x.mT.exp()],
    ['where', (x) => where(x.gt(0), x, x.mul(0.1))],
    ['conv2d', (x) => conv2d(x.reshape([2, 2, 7, 10]), x.narrow(0, 0, 3).reshape([3, 2, 2, 10]).narrow(3, 0, 3), null, { padding: 1 })],
    ['maxPool2d', (x) => maxPool2d(x.reshape([2, 2, 7, 10]), 2)], ['avgPool2d', (x) => avgPool2d(x.reshape([2, 2, 7, 10]), 3, { stride: 2, padding: 1 })],
  ];
  function run(backend: string, dtype: DType, f: (x: Tensor) => Tensor): number[][] {
    setBackend(backend);
    const g = new Generator(11);
    const x = randn([7, 40], { generator: g, dtype }).requiresGrad_();
    const y = f(x);
    y.mul(randn(y.shape, { generator: g, dtype })).sum().backward();
    return [Array.from(y.data as Float32Array), Array.from(x.grad!.data as Float32Array)];
  }
  for (const dtype of ['float32', 'float64'] as const)
    for (const threads of [1, 2, 3])
      describe(`ops on the native backend, forward and backward, ${dtype}, ${threads} thread(s)`, () => {
        for (const [name, f] of ops) {
          it(`${name} gives the reference output and input gradient`, () => {
            setNumThreads(threads);
            const n = run('native', dtype, f);
            expect(getBackend()).toBe('native');
            const j = run('js', dtype, f);
            const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-10, atol: 1e-12 };
            expect(n[0]!).toBeAllClose(j[0]!, tol);
            expect(n[1]!).toBeAllClose(j[1]!, tol);
          });
        }
      });

  describe('what native lacks runs on the wasm backend', () => {
    const wasm = getRegisteredBackend('wasm');
    it.runIf(wasm)('a kernel native lacks (searchsorted, scatterReduce) is the wasm backend\'s, and runs there when native is current', () => {
      expect(be.searchsorted).toBe(wasm!.searchsorted);
      expect(be.scatterReduce).toBe(wasm!.scatterReduce);
      // the wasm backend's memory hooks stay its own: native reads and writes plain arrays
      expect(be.allocPinned).toBeUndefined();
      expect(be.activate).toBeUndefined();
      const calls: string[] = [];
      const spy = vi.spyOn(wasm!, 'searchsorted').mockImplementation((...a) => (calls.push('searchsorted'), jsBackend.searchsorted(...a)));
      try {
        // a backend over the spied wasm, made as core makes its own
        registerBackend(makeNativeBackend(loadAddon().addon!, wasm!, getNumThreads));
        setBackend('native');
        const y = searchsorted(tensor([1, 2, 3]), tensor([0.5, 2.5]));
        expect(y.toArray()).toEqual([0, 2]);
        expect(calls).toEqual(['searchsorted']);
      } finally {
        spy.mockRestore();
        registerBackend(be);
      }
    });

    it('a case a native kernel hands back (float64 exp, an int32 sum) goes to the base backend it was made over', () => {
      const seen: string[] = [];
      const base = { ...jsBackend, name: 'base',
        unary: (...a: Parameters<typeof jsBackend.unary>) => (seen.push(`unary ${a[0]} ${a[2]}`), jsBackend.unary(...a)),
        reduce: (...a: Parameters<typeof jsBackend.reduce>) => (seen.push(`reduce ${a[3]}`), jsBackend.reduce(...a)) };
      const nb = makeNativeBackend(loadAddon().addon!, base);
      expect(nb.searchsorted).toBe(jsBackend.searchsorted);
      const x = view([40, 30], 'float64');
      expect(values(nb.unary('exp', x, 'float64'))).toEqual(values(jsBackend.unary('exp', x, 'float64')));
      nb.unary('exp', view([40, 30], 'float32'), 'float32');
      const i = { data: new Int32Array(1200).fill(2), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      expect(values(nb.reduce('sum', i, [1], 'int32'))[0]).toBe(60);
      expect(seen).toEqual(['unary exp float64', 'reduce int32']);
    });
  });

  describe('setBackend', () => {
    it('selects the native backend', () => {
      setBackend('js');
      setBackend('native');
      expect(getBackend()).toBe('native');
    });
  });
}

// softmax / log-softmax (ew_impl.h) and layer norm (csrc/rows.cc) with their gradients, float32
if (nativeBackend) {
  describe('native row kernels', () => {
    /** A native backend whose base refuses these kernels: a call that reaches the base fails. */
    const refusing = () => {
      const no = (name: string) => () => {
        throw new Error(`${name} ran on the base`);
      };
      const base = { ...jsBackend, name: 'refusing', softmax: no('softmax'), softmaxBackward: no('softmaxBackward'), layerNorm: no('layerNorm'),
        layerNormBackward: no('layerNormBackward'), layerNormBackwardWeight: no('layerNormBackwardWeight') };
      return makeNativeBackend(loadAddon().addon!, base, getNumThreads);
    };

    it('run natively on float32 lines and rows, and give the reference within float32 rounding', () => {
      const nb = refusing();
      const x = view([37, 130], 'float32');
      for (const log of [false, true]) {
        const y = nb.softmax(x, 1, log);
        expect(values(y)).toBeAllClose(values(jsBackend.softmax(x, 1, log)), { rtol: 1e-5, atol: 1e-6 });
        const g = view([37, 130], 'float32', 'offset');
        expect(values(nb.softmaxBackward(g, y, 1, log))).toBeAllClose(values(jsBackend.softmaxBackward(g, y, 1, log)), { rtol: 1e-5, atol: 1e-5 });
      }
      const w = view([130], 'float32'), b = view([130], 'float32', 'offset');
      const got = nb.layerNorm(x, 1, w, b, 1e-5), want = jsBackend.layerNorm(x, 1, w, b, 1e-5);
      expect(values(got.out)).toBeAllClose(values(want.out), { rtol: 1e-5, atol: 2e-5 });
      const g = view([37, 130], 'float32', 'transposed');
      expect(values(nb.layerNormBackward(g, x, got.mean, got.rstd, w, 1))).toBeAllClose(values(jsBackend.layerNormBackward(g, x, want.mean, want.rstd, w, 1)), { rtol: 1e-4, atol: 2e-5 });
      expect(values(nb.layerNormBackwardWeight(g, x, got.mean, got.rstd, 1))).toBeAllClose(values(jsBackend.layerNormBackwardWeight(g, x, want.mean, want.rstd, 1)), { rtol: 1e-4, atol: 1e-4 });
    });

    it('hand float64, a line along another dim and tiny inputs to the base', () => {
      const nb = refusing();
      expect(() => nb.softmax(view([37, 130], 'float64'), 1, false)).toThrow('softmax ran on the base');
      expect(() => nb.softmax(view([37, 130], 'float32'), 0, false)).toThrow('softmax ran on the base');
      expect(() => nb.layerNorm(view([3, 5], 'float32'), 1, null, null, 1e-5)).toThrow('layerNorm ran on the base');
    });

    it('give the reference NaN, infinities and zeros for special lines', () => {
      const nb = refusing();
      const rows = [[-Infinity, -Infinity, -Infinity], [1, NaN, 2], [Infinity, 1, 2], [1000, -1000, 0], [-Infinity, 0, 1], [Infinity, Infinity, 0], [NaN, Infinity, -Infinity]];
      const n = 131;
      const x: View = { data: new Float32Array(rows.length * n).map((_, i) => rows[Math.floor(i / n)]![i % n % 3]!), shape: [rows.length, n], stride: [n, 1], offset: 0, size: rows.length * n };
      for (const log of [false, true]) {
        const got = values(nb.softmax(x, 1, log)), want = values(jsBackend.softmax(x, 1, log));
        expect(got.map((v) => Number.isNaN(v))).toEqual(want.map((v) => Number.isNaN(v)));
        expect(got.map((v) => (Number.isNaN(v) ? 0 : v))).toBeAllClose(want.map((v) => (Number.isNaN(v) ? 0 : v)), { rtol: 1e-5, atol: 1e-6 });
      }
    });

    it('refuse arrays shorter than the sizes given, and arguments of the wrong type, with a TypeError naming the kernel', () => {
      const addon = loadAddon().addon! as unknown as Addon;
      const f = (n: number) => new Float32Array(n);
      expect(() => addon.layerNorm(f(12), null, null, f(12), f(2), f(3), Float64Array.of(3, 4, 1e-5, 1))).toThrow('layerNorm: arrays shorter than the rows and n given');
      expect(() => addon.layerNorm(f(12), f(3), null, f(12), f(3), f(3), Float64Array.of(3, 4, 1e-5, 1))).toThrow('layerNorm: arrays shorter');
      expect(() => addon.layerNormBackward(f(12), new Float64Array(12) as unknown as Float32Array, f(3), f(3), null, f(12), Float64Array.of(3, 4, 1))).toThrow(TypeError);
      expect(() => addon.layerNormBackwardWeight(f(12), f(12), f(3), f(3), f(4), Float64Array.of(3, 4))).toThrow('layerNormBackwardWeight: expected');
    });

    it('give the same bits on 1, 2 and 3 threads', () => {
      const x = view([300, 131], 'float32');
      const run = () => {
        const r = nativeBackend.layerNorm(x, 1, null, null, 1e-5);
        return [nativeBackend.softmax(x, 1, false), nativeBackend.softmax(x, 1, true), nativeBackend.softmaxBackward(x, r.out, 1, true), r.out,
          nativeBackend.layerNormBackward(x, x, r.mean, r.rstd, null, 1), nativeBackend.layerNormBackwardWeight(x, x, r.mean, r.rstd, 1)].map(values);
      };
      const before = getNumThreads();
      try {
        setNumThreads(1);
        const one = run();
        for (const t of [2, 3]) {
          setNumThreads(t);
          expect(run()).toEqual(one);
        }
      } finally {
        setNumThreads(before);
      }
    });
  });
}

// strided copies (csrc/copy.cc) and in-place updates
if (nativeBackend) {
  describe('native copies and in-place updates', () => {
    const refusing = () => makeNativeBackend(loadAddon().addon!, { ...jsBackend, name: 'refusing',
      unary: () => { throw new Error('unary ran on the base'); }, binaryInPlace: () => { throw new Error('binaryInPlace ran on the base'); } }, getNumThreads);

    it('copy any strided view of any dtype exactly, natively', () => {
      const nb = refusing();
      const make = (C: typeof Float32Array | typeof Float64Array | typeof Int32Array | typeof Uint8Array) => {
        const data = new C(6 * 7 * 40);
        for (let i = 0; i < data.length; i++) data[i] = C === Uint8Array ? i % 2 : C === Int32Array ? i * 7 - 1000 : Math.sin(i) * 1e3;
        return data;
      };
      const dtypes = [['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array], ['bool', Uint8Array]] as const;
      for (const [dtype, C] of dtypes) {
        const data = make(C);
        // a permuted view ([40, 6, 7] of a [6, 7, 40] array) and a strided slice with an offset
        const views: View[] = [
          { data, shape: [40, 6, 7], stride: [1, 280, 40], offset: 0, size: 1680 },
          { data, shape: [6, 7, 20], stride: [280, 40, 2], offset: 1, size: 840 },
        ];
        for (const v of views) expect(Array.from(nb.unary('copy', v, dtype).data)).toEqual(Array.from(jsBackend.unary('copy', v, dtype).data));
      }
      expect(Object.is(nb.unary('copy', { data: new Float32Array(600).fill(-0), shape: [600], stride: [1], offset: 0, size: 600 }, 'float32').data[5], -0)).toBe(true);
    });

    it('copy transposes whose rows reach far across their array by tiles, exactly, for every dtype and 1-3 threads', () => {
      // csrc/copy.cc tiles a copy when the innermost dim is strided, another dim has stride 1 and
      // an output row spans at least 512 KB of the array; sizes here are not multiples of the
      // 16 x 16 tile, and one view also runs backwards along its rows and has an outer dim
      const nb = refusing();
      const before = getNumThreads();
      try {
        for (const [dtype, C] of [['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array], ['bool', Uint8Array]] as const) {
          const [R, K] = [C === Uint8Array ? 1037 : 523, 531];
          const data = new C(3 * R * K);
          for (let i = 0; i < data.length; i++) data[i] = C === Uint8Array ? (i * 7) % 3 === 0 ? 1 : 0 : C === Int32Array ? i * 13 - 7000 : Math.cos(i) * 1e3;
          const views: View[] = [
            { data, shape: [K, R], stride: [1, K], offset: 0, size: K * R }, // x.t() of an [R, K] array
            { data, shape: [3, K - 2, R], stride: [R * K, 1, -K], offset: (R - 1) * K + 1, size: 3 * (K - 2) * R }, // rows reversed, then transposed
          ];
          for (const v of views) {
            const want = Array.from(jsBackend.unary('copy', v, dtype).data);
            for (const n of [1, 2, 3]) {
              setNumThreads(n);
              expect(Array.from(nb.unary('copy', v, dtype).data)).toEqual(want);
            }
          }
        }
      } finally {
        setNumThreads(before);
      }
    });

    it('assign into a contiguous destination natively, exactly, and leave casts and strided destinations to the base', () => {
      const nb = makeNativeBackend(loadAddon().addon!, { ...jsBackend, name: 'refusing', assign: () => { throw new Error('assign ran on the base'); } }, getNumThreads);
      for (const C of [Float32Array, Int32Array, Uint8Array]) {
        const array = (n: number, f: (i: number) => number) => { const a = new C(n); for (let i = 0; i < n; i++) a[i] = f(i); return a; };
        const srcT: View = { data: array(1200, (i) => (C === Uint8Array ? (i * 7) % 3 && 1 : C === Int32Array ? i * 5 - 999 : Math.sin(i) * 100)), shape: [30, 40], stride: [1, 30], offset: 0, size: 1200 }; // a transposed [40, 30] array
        // rows 2..31 of a [40, 40] array: cat's window along the first dim
        const dst = (data: View['data']): View => ({ data, shape: [30, 40], stride: [40, 1], offset: 80, size: 1200 });
        const got = array(1600, (i) => i % 2), want = array(1600, (i) => i % 2);
        nb.assign(dst(got), srcT);
        jsBackend.assign(dst(want), srcT);
        expect(Array.from(got)).toEqual(Array.from(want));
      }
      const f32: View = { data: new Float32Array(1200).fill(1.5), shape: [30, 40], stride: [40, 1], offset: 0, size: 1200 };
      expect(() => nb.assign({ ...f32, data: new Float64Array(1200) }, f32)).toThrow('assign ran on the base');
      expect(() => nb.assign({ ...f32, data: new Float32Array(2400), stride: [80, 2] }, f32)).toThrow('assign ran on the base');
    });

    it('update in place natively, with the reference bits, and leave a source overlapping the destination to the base', () => {
      const nb = refusing();
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        const d1 = view([40, 30], 'float32'), d2 = { ...d1, data: Float32Array.from(d1.data as Float32Array) };
        const src = view([40, 30], 'float32', 'transposed');
        nb.binaryInPlace(op, d1, src, 1);
        jsBackend.binaryInPlace(op, d2, src, 1);
        expect(values(d1)).toEqual(values(d2));
      }
      expect(() => nb.binaryInPlace('add', view([40, 30], 'float32'), view([40, 30], 'float32'), 0.5)).toThrow('binaryInPlace ran on the base');
      const shared = view([1201], 'float32');
      const dst = { ...shared, shape: [1200], offset: 1, size: 1200 }, src = { ...shared, shape: [1200], size: 1200 };
      expect(() => nb.binaryInPlace('add', dst, src, 1)).toThrow('binaryInPlace ran on the base');
    });

    it('update a slice of a wider tensor in place natively (rows contiguous), and hand a column-strided one to the base', () => {
      const nb = refusing();
      // dst [32, 64, 128] inside a [32, 64, 384] buffer at offset 128 (one of q, k, v's gradients)
      const data = Float32Array.from({ length: 32 * 64 * 384 }, (_, i) => Math.sin(i));
      const dst: View = { data, shape: [32, 64, 128], stride: [24576, 384, 1], offset: 128, size: 32 * 64 * 128 };
      const want: View = { ...dst, data: Float32Array.from(data) };
      const src = view([32, 64, 128], 'float32');
      nb.binaryInPlace('add', dst, src, 1);
      jsBackend.binaryInPlace('add', want, src, 1);
      expect(Array.from(data)).toEqual(Array.from(want.data as Float32Array)); // the other columns untouched too
      const cols: View = { data, shape: [128, 64], stride: [1, 384], offset: 0, size: 128 * 64 };
      expect(() => nb.binaryInPlace('add', cols, view([128, 64], 'float32'), 1)).toThrow('binaryInPlace ran on the base');
    });

    it('select with where natively for any dtype and broadcast, with the reference bits', () => {
      const nb = makeNativeBackend(loadAddon().addon!, { ...jsBackend, name: 'refusing', where: () => { throw new Error('where ran on the base'); } }, getNumThreads);
      // the attention mask: cond [64, 64] broadcast over [8, 4, 64, 64], a = -inf broadcast, b the scores
      const cond: View = { data: Uint8Array.from({ length: 4096 }, (_, i) => (i % 64 > i >> 6 ? 1 : 0)), shape: [8, 4, 64, 64], stride: [0, 0, 64, 1], offset: 0, size: 8 * 4096 * 4 };
      for (const [dtype, C] of [['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array]] as const) {
        const a: View = { data: C.of(C === Int32Array ? -7 : -Infinity), shape: cond.shape, stride: [0, 0, 0, 0], offset: 0, size: cond.size };
        const bdata = new C(cond.size + 5).map((_, i) => (C === Int32Array ? i * 3 : Math.cos(i)));
        const b: View = { data: bdata, shape: cond.shape, stride: [16384, 4096, 64, 1], offset: 5, size: cond.size };
        expect(Array.from(nb.where(cond, a, b, dtype).data)).toEqual(Array.from(jsBackend.where(cond, a, b, dtype).data));
      }
      const addon = loadAddon().addon! as unknown as Addon;
      expect(() => addon.where(new Uint8Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4), Float64Array.of(1, 1, 0, 0, 0, 4, 1, 1, 1))).toThrow('where: a view reaches outside its array');
    });

    it('refuse a view that reaches outside its array', () => {
      const addon = loadAddon().addon! as unknown as Addon;
      expect(() => addon.copyStrided(new Float32Array(10), new Float32Array(10), Float64Array.of(1, 1, 0, 0, 10, 2))).toThrow('copyStrided: the view reaches outside its array');
      expect(() => addon.copyStrided(new Float32Array(10), new Float64Array(10), Float64Array.of(1, 1, 0, 0, 10, 1))).toThrow('copyStrided: x and out must be typed arrays of one type');
    });
  });
}

describe.runIf(be)("glibc's malloc thresholds", () => {
  /** The addon's mallocSettings() in a fresh node process with `env` added. */
  function settingsIn(env: Record<string, string>): ReturnType<NonNullable<ReturnType<typeof loadAddon>['addon']>['mallocSettings']> {
    const script = `console.log(JSON.stringify(require(${JSON.stringify(status.path)}).mallocSettings()))`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  }
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime !== undefined;

  it.runIf(glibc)('are raised at load, so a 48 MB block comes from the reused heap instead of its own fresh mapping', () => {
    const s = loadAddon().addon!.mallocSettings();
    if (s.reason === 'mallopt refused the thresholds') return; // an old glibc that caps the mmap threshold at 32 MB
    expect(s).toEqual({ applied: true, reason: null, mmapThreshold: 64 * 2 ** 20, trimThreshold: 256 * 2 ** 20, largeFromHeap: true });
  });

  it.runIf(glibc)("are left at glibc's defaults with TAPEGRAD_NATIVE_MALLOPT=0 or when the environment sets malloc tunables", () => {
    const off = settingsIn({ TAPEGRAD_NATIVE_MALLOPT: '0' });
    expect(off).toEqual({ applied: false, reason: 'TAPEGRAD_NATIVE_MALLOPT=0 is set', mmapThreshold: 0, trimThreshold: 0, largeFromHeap: false });
    const user = settingsIn({ MALLOC_TRIM_THRESHOLD_: '1000000' });
    expect(user.applied).toBe(false);
    expect(user.reason).toBe("the environment sets glibc's malloc tunables");
  });
});

describe.runIf(be)('native element-wise loops and sums on every instruction set', () => {
  // Runs in a child process with TAPEGRAD_NATIVE_ISA set (a lower instruction set cannot be
  // chosen in this one): sums of runs, column sums, binary ops and relu/neg on deterministic
  // data at odd sizes, on 1-3 threads; prints the isa and every result as a list of numbers.
  const script = `
    const a = require(${JSON.stringify(status.path)});
    const out = { isa: a.isa(), r: [] };
    const data = (T, n, k) => new T(n).map((_, i) => Math.sin(i * 0.37 + k) * (1 + (i % 7)) + (k === 2 && i % 13 === 0 ? 1e8 : 0));
    for (const T of [Float32Array, Float64Array]) {
      for (const threads of [1, 2, 3]) {
        // one long line over several 16384-element blocks, a few short lines, columns
        for (const [outer, r, inner] of [[1, 70001, 1], [5, 1237, 1], [3, 33, 1], [1, 300, 77], [2, 129, 600]]) {
          const x = data(T, outer * r * inner + 3, outer), o = new T(outer * inner);
          a.sum(x, o, new Float64Array([threads, 3, outer, r, inner]));
          out.r.push(...o);
        }
      }
      const n = 1000 + 37, x = data(T, n, 0), y = data(T, n, 1), o = new T(n);
      for (let op = 0; op < 5; op++) {
        // contiguous, scalar-broadcast b, scalar-broadcast a, and strided a
        a.binary(op, x, y, o, new Float64Array([1, 2, 0, 0, 0, n, 1, 1, 1])); out.r.push(...o);
        a.binary(op, x, y, o, new Float64Array([1, 2, 0, 5, 0, n, 1, 0, 1])); out.r.push(...o);
        a.binary(op, x, y, o, new Float64Array([1, 2, 7, 0, 0, n, 0, 1, 1])); out.r.push(...o);
        a.binary(op, x, y, o, new Float64Array([1, 1, 0, 0, 0, 500, 2, 1, 1])); out.r.push(...o.subarray(0, 500));
      }
      for (const op of [4, 5]) { a.unary(op, x, o, new Float64Array([n, 2, 0, 0])); out.r.push(...o); }
    }
    out.r = out.r.map((v) => (Object.is(v, -0) ? '-0' : v)); // JSON loses the sign of zero
    console.log(JSON.stringify(out));
  `;
  function runOn(isa: string): { isa: string; r: number[] } {
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TAPEGRAD_NATIVE_ISA: isa }, encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { isa: string; r: Array<number | '-0'> };
    return { isa: got.isa, r: got.r.map((v) => (v === '-0' ? -0 : v)) };
  }

  /** A run's sum as ew_impl.h defines it: 32 running float64 sums, combined pairwise. */
  function definedSum(x: ArrayLike<number>, from: number, n: number): number {
    const s = new Float64Array(32);
    let i = 0;
    for (; i + 32 <= n; i += 32) for (let j = 0; j < 32; j++) s[j]! += x[from + i + j]!;
    for (let j = 0; i < n; i++, j++) s[j]! += x[from + i]!;
    for (let h = 16; h >= 1; h /= 2) for (let j = 0; j < h; j++) s[j]! += s[j + h]!;
    return s[0]!;
  }

  it("a sum is the defined 32-lane float64 sum of each 16384-element block, the blocks' sums added in order", () => {
    for (const T of [Float32Array, Float64Array]) {
      const n = 40000, x = new T(n + 1).map((_, i) => Math.sin(i) * (1 + (i % 5)) + (i % 101 === 0 ? 1e7 : 0));
      const out = new T(1);
      loadAddon().addon!.sum(x, out, new Float64Array([2, 1, 1, n, 1]));
      let want = 0;
      for (let k = 0; k < n; k += 16384) want += definedSum(x, 1 + k, Math.min(16384, n - k));
      expect(out[0]).toBe(T === Float32Array ? Math.fround(want) : want);
    }
  });

  it('AVX-512, AVX2 and the portable loops give the same bits, on 1-3 threads, as plain float64 arithmetic says', () => {
    const mine = runOn(status.isa!);
    for (const isa of ['avx512', 'avx2', 'generic']) {
      const other = runOn(isa);
      if (other.isa !== isa) continue; // this machine lacks it
      expect(other.r.length).toBe(mine.r.length);
      expect(other.r).toEqual(mine.r);
    }
    // the binary ops and maps are each one IEEE operation per element (float32 via float64 is exact)
    const n = 1037, data = (T: typeof Float32Array | typeof Float64Array, k: number) => new T(n + 3).map((_, i) => Math.sin(i * 0.37 + k) * (1 + (i % 7)) + (k === 2 && i % 13 === 0 ? 1e8 : 0));
    let at = 0;
    for (const T of [Float32Array, Float64Array]) {
      const round = T === Float32Array ? Math.fround : (v: number) => v;
      // skip the sums: 3 thread counts x 5 shapes
      for (let t = 0; t < 3; t++) for (const [outer, , inner] of [[1, 0, 1], [5, 0, 1], [3, 0, 1], [1, 0, 77], [2, 0, 600]]) at += outer! * inner!;
      const x = data(T, 0).subarray(0, n), y = data(T, 1).subarray(0, n);
      const f = [(p: number, q: number) => p + q, (p: number, q: number) => p - q, (p: number, q: number) => p * q, (p: number, q: number) => p / q, (p: number, q: number) => (q > 0 ? p : 0)];
      for (let op = 0; op < 5; op++) {
        const cases: Array<[number, (i: number) => number, (i: number) => number]> = [
          [n, (i) => x[i]!, (i) => y[i]!], [n, (i) => x[i]!, () => y[5]!], [n, () => x[7]!, (i) => y[i]!], [500, (i) => x[2 * i]!, (i) => y[i]!],
        ];
        for (const [len, ai, bi] of cases) {
          for (let i = 0; i < len; i++) expect(mine.r[at + i]).toBe(round(f[op]!(ai(i), bi(i))));
          at += len;
        }
      }
      for (let i = 0; i < n; i++) expect(mine.r[at + i]).toBe(x[i]! <= 0 ? 0 : x[i]);
      at += n;
      for (let i = 0; i < n; i++) expect(mine.r[at + i]).toBe(-x[i]!);
      at += n;
    }
    expect(at).toBe(mine.r.length);
  });

  it('a column sum adds the rows in order in float64, whatever the thread count', () => {
    for (const T of [Float32Array, Float64Array]) {
      const rows = 129, cols = 1100, x = new T(rows * cols).map((_, i) => Math.cos(i) * (i % 11 === 0 ? 1e6 : 1));
      for (const threads of [1, 2, 3]) {
        const out = new T(cols);
        loadAddon().addon!.sum(x, out, new Float64Array([threads, 0, 1, rows, cols]));
        for (let c = 0; c < cols; c++) {
          let s = 0;
          for (let k = 0; k < rows; k++) s += x[k * cols + c]!;
          expect(out[c]).toBe(T === Float32Array ? Math.fround(s) : s);
        }
      }
    }
  });
});

describe.runIf(be && getRegisteredBackend('wasm'))('tiny operands on the native backend', () => {
  it('element-wise ops, sums and selects under 512 elements run on the js loops, not the wasm kernels (whose staging costs more)', () => {
    const wasm = getRegisteredBackend('wasm')!;
    const nb = makeNativeBackend(loadAddon().addon!, wasm);
    const seen: string[] = [];
    const spies = (['binary', 'unary', 'reduce', 'where'] as const).map((k) =>
      vi.spyOn(wasm, k).mockImplementation((...a: unknown[]) => (seen.push(k), (jsBackend[k] as (...a: unknown[]) => View)(...a))),
    );
    try {
      const a = view([128], 'float32'), b = view([128], 'float32');
      const cond = { data: new Uint8Array(128).map((_, i) => i % 2), shape: [128], stride: [1], offset: 0, size: 128 };
      expect(values(nb.binary('mul', a, b, 'float32'))).toEqual(values(jsBackend.binary('mul', a, b, 'float32')));
      expect(values(nb.unary('exp', a, 'float32'))).toEqual(values(jsBackend.unary('exp', a, 'float32')));
      expect(values(nb.reduce('sum', a, [0], 'float32'))).toEqual(values(jsBackend.reduce('sum', a, [0], 'float32')));
      expect(values(nb.where(cond, a, b, 'float32'))).toEqual(values(jsBackend.where(cond, a, b, 'float32')));
      expect(seen).toEqual([]);
      // a larger select is native's own now (neither js nor wasm)
      const n = 4096, big = view([n], 'float32');
      nb.where({ data: new Uint8Array(n), shape: [n], stride: [1], offset: 0, size: n }, big, big, 'float32');
      expect(seen).toEqual([]);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe.runIf(be)('native softmax and log-softmax', () => {
  /** [rows, n] float32 rows with an offset, a NaN row, an all -Infinity row, a +Infinity row and a large-range row. */
  function rowsView(rows: number, n: number): View {
    const v = view([rows, n], 'float32', 'offset');
    const d = v.data as Float32Array;
    d[3 + 1 * n + 5] = NaN;
    for (let i = 0; i < n; i++) d[3 + 2 * n + i] = -Infinity;
    d[3 + 3 * n + 2] = Infinity;
    for (let i = 0; i < n; i++) d[3 + 4 * n + i] = (i - n / 2) * 7;
    return v;
  }
  for (const [rows, n] of [[130, 10], [9, 1000], [40, 5001]] as const)
    for (const log of [false, true]) {
      it(`${log ? 'log-softmax' : 'softmax'} of [${rows}, ${n}] float32 rows and its gradient match the reference (NaN and infinite rows included), the same bits on 1-3 threads`, () => {
        const x = rowsView(rows, n);
        const want = jsBackend.softmax(x, 1, log);
        const got: View[] = [], grads: View[] = [];
        const g = view([rows, n], 'float32');
        for (const threads of [1, 2, 3]) {
          setNumThreads(threads);
          got.push(be!.softmax(x, 1, log));
          grads.push(be!.softmaxBackward(g, got[0]!, 1, log));
        }
        expect(values(got[1]!)).toEqual(values(got[0]!));
        expect(values(got[2]!)).toEqual(values(got[0]!));
        expect(values(grads[1]!)).toEqual(values(grads[0]!));
        expect(values(grads[2]!)).toEqual(values(grads[0]!));
        /** The elements where `o` is off `w` by more than rtol |w| + atol (non-finite ones must be equal). */
        const off = (o: number[], w: number[], atol: number) =>
          w.flatMap((wi, i) => (Number.isFinite(wi) ? Math.abs(o[i]! - wi) <= 2e-5 * Math.abs(wi) + atol : Object.is(o[i], wi)) ? [] : [[i, o[i], wi]]);
        expect(off(values(got[0]!), values(want), 1e-30)).toEqual([]);
        expect(off(values(grads[0]!), values(jsBackend.softmaxBackward(g, got[0]!, 1, log)), 1e-6)).toEqual([]);
      });
    }

  it('hands float64, other dims and strided rows to the base backend', () => {
    const seen: string[] = [];
    const base = { ...jsBackend, name: 'base', softmax: (...a: Parameters<typeof jsBackend.softmax>) => (seen.push(`softmax ${a[1]}`), jsBackend.softmax(...a)) };
    const nb = makeNativeBackend(loadAddon().addon!, base);
    nb.softmax(view([30, 40], 'float64'), 1, false);
    nb.softmax(view([30, 40], 'float32'), 0, true);
    nb.softmax(view([30, 40], 'float32', 'transposed'), 1, true);
    nb.softmax(view([30, 40], 'float32'), 1, true);
    expect(seen).toEqual(['softmax 1', 'softmax 0', 'softmax 1']);
  });
});

describe.skipIf(!be)('native GEMM depth panels and convolution chunks', () => {
  const nb = be!;
  const geom = (s: number, p: number, d: number, groups = 1) => ({ stride: [s, s] as [number, number], padding: [p, p] as [number, number], dilation: [d, d] as [number, number], groups });
  const threeThreads = <R>(f: () => R): R[] => [1, 2, 3].map((n) => (setNumThreads(n), f()));

  it("float32 max pooling 2x2 / stride 2 (vectorised) gives the reference's values and argmax: ties, NaN, -Infinity, odd sizes, 1-3 threads", () => {
    const g = geom(2, 0, 1);
    const overJs = makeNativeBackend(loadAddon().addon!, jsBackend);
    for (const xs of [[3, 5, 13, 19], [2, 2, 24, 24], [1, 3, 2, 2], [1, 1, 5, 3]]) {
      const x = view(xs, 'float32');
      // small integers make ties; NaN and -Infinity at scattered taps (every window position)
      for (let i = 0; i < x.data.length; i++) x.data[i] = i % 7 === 3 ? NaN : i % 11 === 5 ? -Infinity : Math.round(x.data[i]! * 1.5);
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        for (const b of [nb, overJs]) {
          const got = b.maxPool2d(x, [2, 2], g), want = jsBackend.maxPool2d(x, [2, 2], g);
          expect(got.out.shape).toEqual(want.out.shape);
          expect(values(got.out)).toEqual(values(want.out));
          expect(values(got.argmax)).toEqual(values(want.argmax));
        }
      }
    }
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`a product with a depth over several packed panels matches the reference in ${dtype}, the same bits on 1-3 threads`, () => {
      // the operands are packed ~4 MB of depth blocks at a time: a depth of 30,000 is three
      // panels (float32) or five (float64); B transposed takes the transposing pack
      const a = view([1, 29, 30000], dtype, 'offset');
      const b = swap(view([1, 45, 30000], dtype), 1, 2);
      const runs = threeThreads(() => nb.matmul(a, b, dtype));
      expect(Array.from(runs[1]!.data)).toEqual(Array.from(runs[0]!.data));
      expect(Array.from(runs[2]!.data)).toEqual(Array.from(runs[0]!.data));
      const tol = dtype === 'float32' ? 2e-3 : 1e-10;
      expect(values(runs[0]!)).toBeAllClose(values(jsBackend.matmul(a, b, dtype)), { rtol: tol, atol: tol });
    });

    it(`products whose rows 8 divides better than 12 (tiles of 8 rows on AVX-512) match the reference in ${dtype}, the same bits on 1-3 threads`, () => {
      for (const [M, K, N] of [[64, 300, 130], [8, 9, 33], [40, 129, 64]]) {
        const a = view([1, M!, K!], dtype), b = view([1, K!, N!], dtype, 'offset');
        const runs = threeThreads(() => Array.from(nb.matmul(a, b, dtype).data));
        expect(runs[1]).toEqual(runs[0]);
        expect(runs[2]).toEqual(runs[0]);
        const tol = dtype === 'float32' ? 1e-4 : 1e-11;
        expect(runs[0]!).toBeAllClose(values(jsBackend.matmul(a, b, dtype)), { rtol: tol, atol: tol });
      }
    });

    it(`the weight gradient sums chunks of images in one product each (depth over images and panels) in ${dtype}`, () => {
      // 13 images of 100 x 100, one channel: ~350 KB of columns each, so chunks of 5 images
      // whose depth (5 x 77 blocks) spans three packed panels, and a last chunk of 3
      const x = view([13, 1, 100, 100], dtype), grad = view([13, 6, 98, 98], dtype, 'transposed');
      const g = geom(1, 0, 1);
      const runs = threeThreads(() => nb.conv2dBackwardWeight(x, grad, [6, 1, 3, 3], g));
      expect(Array.from(runs[1]!.data)).toEqual(Array.from(runs[0]!.data));
      expect(Array.from(runs[2]!.data)).toEqual(Array.from(runs[0]!.data));
      const tol = dtype === 'float32' ? 1e-3 : 1e-10;
      expect(values(runs[0]!)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(x, grad, [6, 1, 3, 3], g)), { rtol: tol, atol: tol });
    });

    it(`the weight gradient of a first layer (dW computed transposed) over more images than parts matches the reference in ${dtype}, the same bits on 1-3 threads`, () => {
      // 13 images in 12 parts (one part of two images), one input channel: R = 9 rows under
      // 32 output channels, so each part's product is dW^T, added and turned around at the end;
      // and 5 images: one part each
      for (const n of [13, 5]) {
        const x = view([n, 1, 28, 28], dtype, 'offset'), grad = view([n, 32, 26, 26], dtype);
        const g = geom(1, 0, 1);
        const runs = threeThreads(() => nb.conv2dBackwardWeight(x, grad, [32, 1, 3, 3], g));
        expect(Array.from(runs[1]!.data)).toEqual(Array.from(runs[0]!.data));
        expect(Array.from(runs[2]!.data)).toEqual(Array.from(runs[0]!.data));
        const tol = dtype === 'float32' ? 1e-3 : 1e-10;
        expect(values(runs[0]!)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(x, grad, [32, 1, 3, 3], g)), { rtol: tol, atol: tol });
      }
    });

    it(`scatterAdd of a few indices into a larger x (cross-entropy's gradient) runs natively and gives the reference's bits in ${dtype}`, () => {
      const base = { ...jsBackend, name: 'refusing', scatterAdd: () => { throw new Error('scatterAdd ran on the base'); } };
      const nb = makeNativeBackend(loadAddon().addon!, base, getNumThreads);
      const [R, M] = [128, 10];
      const index: View = { data: Int32Array.from({ length: R }, (_, i) => (i * 7) % M), shape: [R, 1], stride: [1, 1], offset: 0, size: R };
      const src = view([R, 1], dtype);
      for (const x of [{ ...view([1], dtype), shape: [R, M], stride: [0, 0], size: R * M }, view([R, M], dtype, 'transposed')])
        expect(values(nb.scatterAdd(x, 1, index, src))).toEqual(values(jsBackend.scatterAdd(x, 1, index, src)));
    });

    it(`scatterAdd along the last dim hands an index outside the row to the reference, which throws, in ${dtype}`, () => {
      // the kernel skips and counts such an index (max pooling's route never has one)
      const [R, M, L] = [30, 40, 20];
      for (const bad of [M, -1]) {
        const data = Int32Array.from({ length: R * L }, (_, i) => (i * 13) % M);
        data[R * L - 5] = bad;
        const index: View = { data, shape: [R, L], stride: [L, 1], offset: 0, size: R * L };
        const x = { ...view([1], dtype), shape: [R, M], stride: [0, 0], size: R * M };
        const src = view([R, L], dtype);
        let want: unknown;
        try {
          jsBackend.scatterAdd(x, 1, index, src);
        } catch (e) {
          want = e;
        }
        expect(want).toBeInstanceOf(Error);
        expect(() => nb.scatterAdd(x, 1, index, src)).toThrow((want as Error).message);
      }
    });

    it(`the weight gradient of a layer with few taps per output channel (computed transposed) matches the reference in ${dtype}`, () => {
      // R = C/groups x kH x kW = 9 rows against 32 or 20 output channels per group
      const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-4 } : { rtol: 1e-11, atol: 1e-11 };
      for (const [xs, ws, groups] of [[[7, 1, 28, 28], [32, 1, 3, 3], 1], [[3, 2, 9, 11], [40, 1, 3, 3], 2]] as Array<[number[], number[], number]>) {
        const x = view(xs, dtype), g = geom(1, 1, 1, groups);
        const grad = view([xs[0]!, ws[0]!, xs[2]!, xs[3]!], dtype);
        const runs = threeThreads(() => nb.conv2dBackwardWeight(x, grad, ws, g));
        expect(Array.from(runs[1]!.data)).toEqual(Array.from(runs[0]!.data));
        expect(Array.from(runs[2]!.data)).toEqual(Array.from(runs[0]!.data));
        expect(values(runs[0]!)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(x, grad, ws, g)), tol);
      }
    });

    it(`the forward pass and input gradient over many images (whole chunks per thread) give the one-thread bits in ${dtype}`, () => {
      // 13 images: one thread runs chunk by chunk, two and three threads hand chunks of images
      // to each thread (13 >= 4 x threads); a 3x3 kernel with padding, a 1x1 kernel, with bias
      const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-11, atol: 1e-12 };
      for (const [ws, p] of [[[5, 6, 3, 3], 1], [[4, 6, 1, 1], 0]] as Array<[number[], number]>) {
        const x = view([13, 6, 11, 9], dtype), w = view(ws, dtype), bias = view([ws[0]!], dtype), g = geom(1, p, 1);
        const grad = view([13, ws[0]!, 11 + 2 * p - ws[2]! + 1, 9 + 2 * p - ws[3]! + 1], dtype);
        const runs = threeThreads(() => [nb.conv2d(x, w, g, bias), nb.conv2dBackwardInput(grad, w, x.shape, g)].map((v) => Array.from(v.data)));
        expect(runs[1]).toEqual(runs[0]);
        expect(runs[2]).toEqual(runs[0]);
        expect(runs[0]![0]!).toBeAllClose(values(jsBackend.conv2d(x, w, g, bias)), tol);
        expect(runs[0]![1]!).toBeAllClose(values(jsBackend.conv2dBackwardInput(grad, w, x.shape, g)), tol);
      }
    });

    it(`im2col and col2im skip padding columns exactly (stride, dilation, taps wholly in the padding) in ${dtype}`, () => {
      const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-11, atol: 1e-12 };
      // [x shape, w shape, stride, padding, dilation, groups]: a 3-wide input with padding 4 and
      // dilation 3 leaves some taps no valid column at all; stride 3 skips input columns
      for (const [xs, ws, s, p, d, gr] of [
        [[2, 2, 3, 3], [3, 2, 3, 3], 1, 4, 3, 1], [[2, 4, 11, 13], [4, 2, 3, 3], 3, 2, 1, 2], [[1, 3, 9, 8], [2, 3, 4, 4], 2, 3, 2, 1],
      ] as Array<[number[], number[], number, number, number, number]>) {
        const x = view(xs, dtype), w = view(ws, dtype), g = geom(s, p, d, gr);
        const y = nb.conv2d(x, w, g);
        expect(values(y)).toBeAllClose(values(jsBackend.conv2d(x, w, g)), tol);
        const grad = view(y.shape, dtype);
        expect(values(nb.conv2dBackwardInput(grad, w, xs, g))).toBeAllClose(values(jsBackend.conv2dBackwardInput(grad, w, xs, g)), tol);
        expect(values(nb.conv2dBackwardWeight(x, grad, ws, g))).toBeAllClose(values(jsBackend.conv2dBackwardWeight(x, grad, ws, g)), tol);
      }
    });
  }
});

// erf, gelu and geluTanh (kernels_impl.h, float32)
if (nativeBackend) {
  describe('native erf and gelu', () => {
    const refusing = () => makeNativeBackend(loadAddon().addon!, { ...jsBackend, name: 'refusing', unary: () => { throw new Error('unary ran on the base'); } }, getNumThreads);
    const special = [0, -0, 1e-30, -1e-30, 0.5, -0.5, 0.92, 0.93, -0.93, 3, -3, 6, -6, 10, -10, 50, -50, Infinity, -Infinity, NaN];

    for (const op of ['erf', 'gelu', 'geluTanh'] as const)
      it(`${op} runs natively on float32 and gives the reference within 2e-6 relative, special values included`, () => {
        const nb = refusing();
        const data = new Float32Array(1200);
        for (let i = 0; i < data.length; i++) data[i] = i < special.length ? special[i]! : Math.sin(i * 1.7) * (i % 7) * 1.5;
        const x: View = { data, shape: [1200], stride: [1], offset: 0, size: 1200 };
        const got = values(nb.unary(op, x, 'float32')), want = values(jsBackend.unary(op, x, 'float32'));
        expect(got.map(Number.isNaN)).toEqual(want.map(Number.isNaN));
        expect(got.map((v) => (Number.isNaN(v) ? 0 : v))).toBeAllClose(want.map((v) => (Number.isNaN(v) ? 0 : v)), { rtol: 2e-6, atol: 1e-6 });
        if (op === 'erf') expect([got[0], got[1], got[17], got[18]].map((v) => Object.is(v, -0) ? '-0' : v)).toEqual([0, '-0', 1, -1]);
        // float64 stays on the reference (its bits)
        expect(() => nb.unary(op, view([40, 30], 'float64'), 'float64')).toThrow('unary ran on the base');
      });

    for (const op of ['geluGrad', 'geluTanhGrad'] as const)
      it(`${op} runs natively on float32 (contiguous, broadcast and transposed operands) within 2e-6 of the reference`, () => {
        const nb = makeNativeBackend(loadAddon().addon!, { ...jsBackend, name: 'refusing', binary: () => { throw new Error('binary ran on the base'); } }, getNumThreads);
        const data = new Float32Array(1200);
        for (let i = 0; i < data.length; i++) data[i] = i < special.length ? special[i]! : Math.sin(i * 1.3) * (i % 9);
        const x: View = { data, shape: [30, 40], stride: [40, 1], offset: 0, size: 1200 };
        const xt: View = { data, shape: [30, 40], stride: [1, 30], offset: 0, size: 1200 };
        const g = view([30, 40], 'float32'), g1: View = { data: Float32Array.of(0.75), shape: [30, 40], stride: [0, 0], offset: 0, size: 1200 };
        for (const [a, b] of [[g, x], [g1, x], [g, xt], [g1, xt]] as Array<[View, View]>) {
          const got = values(nb.binary(op, a, b, 'float32')), want = values(jsBackend.binary(op, a, b, 'float32'));
          expect(got.map(Number.isNaN)).toEqual(want.map(Number.isNaN));
          expect(got.map((v) => (Number.isNaN(v) ? 0 : v))).toBeAllClose(want.map((v) => (Number.isNaN(v) ? 0 : v)), { rtol: 2e-6, atol: 2e-6 });
        }
        expect(() => nb.binary(op, view([40, 30], 'float64'), view([40, 30], 'float64'), 'float64')).toThrow('binary ran on the base');
      });
  });
}

// gather, indexSelect, indexAdd (csrc/index.cc), scans (csrc/scan.cc) and sorts (csrc/sort.cc):
// the kernels that used to stage through wasm, with the reference's bits
if (nativeBackend) {
  /** A native backend whose base throws for `names`: a call that reaches the base fails. */
  const refusingFor = (...names: string[]) => {
    const base: Record<string, unknown> = { ...jsBackend, name: 'refusing' };
    for (const n of names) base[n] = () => { throw new Error(`${n} ran on the base`); };
    return makeNativeBackend(loadAddon().addon!, base as unknown as typeof jsBackend, getNumThreads);
  };
  const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 1e-40, -3.5, 3.5];
  /** A contiguous (or with `transposed`, a [n, m] view of an [m, n] array) float view holding the special values, repeats and ties. */
  const specialView = (shape: [number, number], dtype: 'float32' | 'float64', transposed = false): View => {
    const n = shape[0] * shape[1];
    const C = dtype === 'float32' ? Float32Array : Float64Array;
    const data = new C(n + 2).map((_, i) => (i % 7 === 3 ? SPECIAL[(i * 13) % SPECIAL.length]! : i % 5 === 0 ? Math.round(Math.sin(i) * 3) : Math.sin(i * 1.3) * 10));
    if (transposed) return { data, shape, stride: [1, shape[0]], offset: 2, size: n };
    return { data, shape, stride: [shape[1], 1], offset: 2, size: n };
  };
  /**
   * The raw bits of a view's elements (row-major): -0 and every last bit compared. A NaN is any
   * NaN (its sign and payload are not a number's: JavaScript does not keep them, and the
   * reference's own NaN bits vary with V8's tier).
   */
  const bitsOf = (v: View): string[] => values(v).map((x) => {
    if (Number.isNaN(x)) return 'NaN';
    if (v.data instanceof Float32Array) return new Uint32Array(Float32Array.of(x).buffer)[0]!.toString(16);
    if (v.data instanceof Float64Array) return new BigUint64Array(Float64Array.of(x).buffer)[0]!.toString(16);
    return String(x);
  });
  /** The raw bytes of a contiguous output's array, as one hex digest-free string (quick to compare). */
  const rawOf = (v: View): string => Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).toString('base64');
  const onThreads = <R>(f: () => R): R[] => {
    const before = getNumThreads();
    try {
      return [1, 2, 3].map((n) => (setNumThreads(n), f()));
    } finally {
      setNumThreads(before);
    }
  };

  describe('native gather, indexSelect and indexAdd', () => {
    const intView = (shape: number[], hi: number, seed0: number, stride?: number[]): View => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Int32Array.from({ length: n }, (_, i) => (i * 7919 + seed0 * 31) % hi);
      return { data, shape, stride: stride ?? contiguous(shape), offset: 0, size: n };
    };

    it('gather runs natively for any dtype and strides, with the reference bits', () => {
      const nb = refusingFor('gather');
      for (const dtype of ['float32', 'float64'] as const)
        for (const transposed of [false, true]) {
          const x = specialView([40, 30], dtype, transposed);
          for (const [dim, index] of [[1, intView([40, 50], 30, 1)], [0, intView([60, 30], 40, 2)], [1, swap(intView([50, 40], 30, 3), 0, 1)]] as Array<[number, View]>)
            expect(bitsOf(nb.gather(x, dim, index))).toEqual(bitsOf(jsBackend.gather(x, dim, index)));
        }
      const xi: View = { data: Int32Array.from({ length: 1200 }, (_, i) => i * 3 - 7), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      const xb: View = { data: Uint8Array.from({ length: 1200 }, (_, i) => i % 3 & 1), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      for (const x of [xi, xb]) expect(values(nb.gather(x, 1, intView([40, 50], 30, 4)))).toEqual(values(jsBackend.gather(x, 1, intView([40, 50], 30, 4))));
    });

    it('indexSelect runs natively (an embedding lookup, other dims, a strided index), with the reference bits', () => {
      const nb = refusingFor('indexSelect');
      for (const dtype of ['float32', 'float64'] as const)
        for (const transposed of [false, true]) {
          const x = specialView([65, 128], dtype, transposed);
          const ids = intView([2048], 65, 5);
          expect(bitsOf(nb.indexSelect(x, 0, ids))).toEqual(bitsOf(jsBackend.indexSelect(x, 0, ids)));
          const cols = intView([40], 128, 6, [2]);
          const strided = { ...cols, shape: [20], size: 20 };
          expect(bitsOf(nb.indexSelect(x, 1, strided))).toEqual(bitsOf(jsBackend.indexSelect(x, 1, strided)));
        }
      // a 3-d x along its middle dim, a size-1 dim
      const x3: View = { ...view([4, 30, 1, 9], 'float32'), shape: [4, 30, 1, 9] };
      const ids = intView([50], 30, 7);
      expect(bitsOf(nb.indexSelect(x3, 1, ids))).toEqual(bitsOf(jsBackend.indexSelect(x3, 1, ids)));
    });

    it('indexAdd runs natively, adding repeated rows in the reference order (its bits)', () => {
      const nb = refusingFor('indexAdd');
      for (const dtype of ['float32', 'float64'] as const)
        for (const transposed of [false, true]) {
          // an embedding's gradient: [65, 128] from [2048, 128] rows, many repeats per row
          const x = specialView([65, 128], dtype, transposed);
          const src = specialView([2048, 128], dtype, transposed);
          const ids = intView([2048], 65, 8);
          expect(bitsOf(nb.indexAdd(x, 0, ids, src))).toEqual(bitsOf(jsBackend.indexAdd(x, 0, ids, src)));
          // along the last dim, a strided index
          const s2 = specialView([65, 40], dtype, transposed);
          const ids2 = { ...intView([80], 128, 9, [2]), shape: [40], size: 40 };
          expect(bitsOf(nb.indexAdd(x, 1, ids2, s2))).toEqual(bitsOf(jsBackend.indexAdd(x, 1, ids2, s2)));
        }
      // a broadcast x (zeros, as the embedding backward starts from)
      const zeros: View = { data: new Float32Array(1), shape: [65, 128], stride: [0, 0], offset: 0, size: 65 * 128 };
      const src = view([700, 128], 'float32');
      const ids = intView([700], 65, 10);
      expect(bitsOf(nb.indexAdd(zeros, 0, ids, src))).toEqual(bitsOf(jsBackend.indexAdd(zeros, 0, ids, src)));
    });

    it('hand an out-of-range index value to the base (the reference, which the op reports through), and tiny or empty inputs too', () => {
      const x = view([40, 30], 'float32');
      const bad = intView([40, 50], 30, 1);
      (bad.data as Int32Array)[777] = 30;
      expect(() => refusingFor('gather').gather(x, 1, bad)).toThrow('gather ran on the base');
      const badRows = intView([600], 40, 2);
      (badRows.data as Int32Array)[599] = -1;
      expect(() => refusingFor('indexSelect').indexSelect(x, 0, badRows)).toThrow('indexSelect ran on the base');
      const src = view([600, 30], 'float32');
      expect(() => refusingFor('indexAdd').indexAdd(x, 0, badRows, src)).toThrow('indexAdd ran on the base');
      expect(() => refusingFor('gather').gather(x, 1, intView([4, 5], 30, 1))).toThrow('gather ran on the base');
      // the registered native backend: tiny, empty and size-1 cases agree with the reference
      const tiny = intView([3], 40, 3), empty = intView([0], 40, 3);
      for (const ids of [tiny, empty]) {
        expect(bitsOf(nativeBackend.indexSelect(x, 0, ids))).toEqual(bitsOf(jsBackend.indexSelect(x, 0, ids)));
        const s = view([ids.size, 30], 'float32');
        expect(bitsOf(nativeBackend.indexAdd(x, 0, ids, s))).toEqual(bitsOf(jsBackend.indexAdd(x, 0, ids, s)));
      }
      const one = view([1, 700], 'float64');
      const at = intView([1, 700], 1, 0);
      expect(bitsOf(nativeBackend.gather(one, 0, at))).toEqual(bitsOf(jsBackend.gather(one, 0, at)));
    });

    it('give the same bits on 1, 2 and 3 threads', () => {
      const x = view([300, 256], 'float32'), src = view([2000, 256], 'float32');
      const ids = intView([2000], 300, 11), gidx = intView([300, 256], 256, 12);
      const runs = onThreads(() => [nativeBackend.indexSelect(x, 0, ids), nativeBackend.indexAdd(x, 0, ids, src), nativeBackend.gather(x, 1, gidx)].map(rawOf));
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });

  describe('native scans: cumsum, cumprod, cummax, cummin, argmax, argmin', () => {
    const layouts = (dtype: 'float32' | 'float64'): View[] => [specialView([40, 30], dtype), specialView([40, 30], dtype, true)];

    it('scan (sum, prod) runs natively along any dim, forwards and reversed, with the reference bits', () => {
      const nb = refusingFor('scan');
      for (const dtype of ['float32', 'float64'] as const)
        for (const x of layouts(dtype))
          for (const op of ['sum', 'prod'] as const)
            for (const dim of [0, 1])
              for (const reverse of [false, true])
                for (const out of ['float32', 'float64'] as const)
                  expect(bitsOf(nb.scan(op, x, dim, reverse, out))).toEqual(bitsOf(jsBackend.scan(op, x, dim, reverse, out)));
      // a size-1 dim, and a line of one
      const x3: View = { ...view([4, 1, 300], 'float32'), shape: [4, 1, 300] };
      for (const dim of [1, 2]) expect(bitsOf(nb.scan('sum', x3, dim, false, 'float32'))).toEqual(bitsOf(jsBackend.scan('sum', x3, dim, false, 'float32')));
    });

    it('cumExtreme runs natively (ties move the index on, a NaN stays), with the reference values and indices', () => {
      const nb = refusingFor('cumExtreme');
      for (const dtype of ['float32', 'float64'] as const)
        for (const x of layouts(dtype))
          for (const op of ['max', 'min'] as const)
            for (const dim of [0, 1]) {
              const got = nb.cumExtreme(op, x, dim, dtype), want = jsBackend.cumExtreme(op, x, dim, dtype);
              expect(bitsOf(got.values)).toEqual(bitsOf(want.values));
              expect(values(got.indices)).toEqual(values(want.indices));
            }
    });

    it('argReduce runs natively on float32, float64 and int32 (the first extreme; the first NaN wins)', () => {
      const nb = refusingFor('argReduce');
      const xi: View = { data: Int32Array.from({ length: 1200 }, (_, i) => (i * 37) % 11), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      for (const x of [...layouts('float32'), ...layouts('float64'), xi, swap(xi, 0, 1)])
        for (const op of ['argmax', 'argmin'] as const)
          for (const dim of [0, 1]) expect(values(nb.argReduce(op, x, dim))).toEqual(values(jsBackend.argReduce(op, x, dim)));
      // lines without NaN: the first of tied extremes
      const ties: View = { data: Float32Array.from({ length: 1200 }, (_, i) => (i % 4 === 1 ? -0 : i % 3)), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      for (const op of ['argmax', 'argmin'] as const) for (const dim of [0, 1]) expect(values(nb.argReduce(op, ties, dim))).toEqual(values(jsBackend.argReduce(op, ties, dim)));
    });

    it('read strided views in place where their dims merge around the line, and copy the others first, with the reference bits', () => {
      const nb = refusingFor('scan', 'cumExtreme', 'argReduce');
      const flat = specialView([30, 40], 'float64');
      const views = lineViews(flat);
      for (const x of views)
        for (let dim = 0; dim < x.shape.length; dim++) {
          expect(bitsOf(nb.scan('sum', x, dim, true, 'float64'))).toEqual(bitsOf(jsBackend.scan('sum', x, dim, true, 'float64')));
          expect(bitsOf(nb.scan('prod', x, dim, false, 'float32'))).toEqual(bitsOf(jsBackend.scan('prod', x, dim, false, 'float32')));
          const got = nb.cumExtreme('min', x, dim, 'float64'), want = jsBackend.cumExtreme('min', x, dim, 'float64');
          expect([bitsOf(got.values), values(got.indices)]).toEqual([bitsOf(want.values), values(want.indices)]);
          expect(values(nb.argReduce('argmax', x, dim))).toEqual(values(jsBackend.argReduce('argmax', x, dim)));
        }
    });

    it('hand logcumsumexp, int32 scans, tiny inputs and an empty dim to the base', () => {
      const nb = refusingFor('scan', 'cumExtreme', 'argReduce');
      const x = view([40, 30], 'float32');
      expect(() => nb.scan('logsumexp', x, 1, false, 'float32')).toThrow('scan ran on the base');
      expect(() => nb.scan('sum', view([4, 30], 'float32'), 1, false, 'float32')).toThrow('scan ran on the base');
      const xi: View = { data: new Int32Array(1200), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      expect(() => nb.scan('sum', xi, 1, false, 'int32')).toThrow('scan ran on the base');
      const empty: View = { data: new Float32Array(0), shape: [600, 0], stride: [0, 1], offset: 0, size: 0 };
      expect(bitsOf(nativeBackend.scan('sum', empty, 0, false, 'float32'))).toEqual([]);
      expect(() => nativeBackend.argReduce('argmax', empty, 1)).toThrow('cannot reduce over a zero-size dim');
    });

    it('give the same bits on 1, 2 and 3 threads', () => {
      const x = view([200, 300], 'float32'), y = view([300, 200], 'float64', 'transposed');
      const runs = onThreads(() => [x, y].flatMap((v) => [0, 1].flatMap((dim) => [
        v.data instanceof Float32Array ? nativeBackend.scan('sum', v, dim, dim === 1, 'float32') : nativeBackend.scan('prod', v, dim, false, 'float64'),
        nativeBackend.cumExtreme('max', v, dim, v.data instanceof Float32Array ? 'float32' : 'float64').values,
        nativeBackend.cumExtreme('min', v, dim, v.data instanceof Float32Array ? 'float32' : 'float64').indices,
        nativeBackend.argReduce('argmax', v, dim),
      ])).map(rawOf));
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });

  describe('native sort and topk', () => {
    /** values and indices of a sort, the values' bits */
    const sorted = (r: { values: View; indices: View }) => [bitsOf(r.values), values(r.indices)];

    it('sorts natively (stable, NaN largest, -0 equal to 0, descending), float32, float64 and int32, any dim and layout, with the reference result', () => {
      const nb = refusingFor('sort');
      const xi: View = { data: Int32Array.from({ length: 2400 }, (_, i) => ((i * 37) % 23) - 11 + (i === 5 ? -2147483648 : i === 6 ? 2147483647 : 0)), shape: [40, 60], stride: [60, 1], offset: 0, size: 2400 };
      // lines of 40 and 30 (the standard library's sort) and of 60, 80 and 300 (the radix sort)
      const xs = [specialView([40, 30], 'float32'), specialView([40, 30], 'float64', true), specialView([80, 60], 'float32', true), specialView([300, 4], 'float64'), xi, swap(xi, 0, 1)];
      for (const x of xs)
        for (const dim of [0, 1])
          for (const descending of [false, true]) {
            const out = x.data instanceof Int32Array ? 'int32' : x.data instanceof Float32Array ? 'float32' : 'float64';
            expect(sorted(nb.sort(x, dim, descending, out))).toEqual(sorted(jsBackend.sort(x, dim, descending, out)));
            // values widened to float64 (unique's sort)
            expect(sorted(nb.sort(x, dim, descending, 'float64'))).toEqual(sorted(jsBackend.sort(x, dim, descending, 'float64')));
          }
      // many ties and both zeros: the input order kept
      const ties: View = { data: Float32Array.from({ length: 1200 }, (_, i) => [0, -0, 1, NaN, -Infinity][i % 5]!), shape: [4, 300], stride: [300, 1], offset: 0, size: 1200 };
      for (const descending of [false, true]) expect(sorted(nb.sort(ties, 1, descending, 'float32'))).toEqual(sorted(jsBackend.sort(ties, 1, descending, 'float32')));
    });

    it('reads strided views in place where their dims merge around the line, and copies the others first', () => {
      const nb = refusingFor('sort');
      const flat = specialView([30, 40], 'float32');
      const views = lineViews(flat);
      for (const x of views)
        for (let dim = 0; dim < x.shape.length; dim++)
          for (const k of [undefined, 1]) expect(sorted(nb.sort(x, dim, k === 1, 'float32', k))).toEqual(sorted(jsBackend.sort(x, dim, k === 1, 'float32', k)));
    });

    it('keeps the first k (a few of many: the partial sort; more: the full sort cut), with the reference result', () => {
      const nb = refusingFor('sort');
      for (const x of [specialView([10, 200], 'float32'), specialView([10, 200], 'float64', true)])
        for (const k of [1, 5, 12, 13, 100, 200])
          for (const descending of [false, true]) {
            const out = x.data instanceof Float32Array ? 'float32' : 'float64';
            expect(sorted(nb.sort(x, 1, descending, out, k))).toEqual(sorted(jsBackend.sort(x, 1, descending, out, k)));
            expect(sorted(nb.sort(x, 0, descending, out, Math.min(k, 10)))).toEqual(sorted(jsBackend.sort(x, 0, descending, out, Math.min(k, 10))));
            // lines along the first dim (strided): the partial sort without the vector skip
            const xt = swap(x, 0, 1);
            expect(sorted(nb.sort(xt, 0, descending, out, k))).toEqual(sorted(jsBackend.sort(xt, 0, descending, out, k)));
          }
    });

    it('hand tiny inputs, k = 0 and bool to the base, and agree on a size-1 dim', () => {
      const nb = refusingFor('sort');
      expect(() => nb.sort(view([4, 30], 'float32'), 1, false, 'float32')).toThrow('sort ran on the base');
      expect(() => nb.sort(view([40, 30], 'float32'), 1, false, 'float32', 0)).toThrow('sort ran on the base');
      const xb: View = { data: new Uint8Array(1200), shape: [40, 30], stride: [30, 1], offset: 0, size: 1200 };
      expect(() => nb.sort(xb, 1, false, 'bool')).toThrow('sort ran on the base');
      const one: View = { ...view([600, 1], 'float32'), shape: [600, 1] };
      expect(sorted(nb.sort(one, 1, true, 'float32'))).toEqual(sorted(jsBackend.sort(one, 1, true, 'float32')));
      // a line too long for the addon's scratch (2^26 + 1 elements, broadcast from one)
      const huge: View = { data: new Float32Array(1), shape: [2 ** 26 + 1], stride: [0], offset: 0, size: 2 ** 26 + 1 };
      expect(() => nb.sort(huge, 0, false, 'float32', 1)).toThrow('sort ran on the base');
      const addon = loadAddon().addon! as unknown as Addon;
      expect(() => addon.sort(new Float32Array(1), new Float32Array(1), new Int32Array(1), Float64Array.of(1, 2 ** 26 + 1, 1, 1, 0, 1, 0, 0, 1, 0))).toThrow('sort: bad params');
    });

    it('give the same bits on 1, 2 and 3 threads', () => {
      const x = view([300, 200], 'float32'), y = view([200, 300], 'float64', 'transposed');
      const runs = onThreads(() => [x, y].flatMap((v) => [0, 1].flatMap((dim) => {
        const out = v.data instanceof Float32Array ? 'float32' : 'float64';
        const a = nativeBackend.sort(v, dim, dim === 0, out), b = nativeBackend.sort(v, dim, false, out, 7);
        return [a.values, a.indices, b.values, b.indices];
      })).map(rawOf));
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });

  describe('native average pooling and resampling', () => {
    /** [N, C, H, W] float view with special values; `transposed`: H and W swapped in memory. */
    const images = (shape: [number, number, number, number], dtype: 'float32' | 'float64', transposed = false): View => {
      const [N, C, H, W] = shape;
      const flat = specialView([N * C, H * W], dtype);
      if (!transposed) return { ...flat, shape, stride: [C * H * W, H * W, W, 1] };
      return { ...flat, shape, stride: [C * H * W, H * W, 1, H] };
    };
    const geometries: Array<[[number, number], Conv2dGeometry]> = [
      [[3, 3], { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 }],
      [[2, 2], { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 }],
      [[2, 3], { stride: [1, 2], padding: [1, 0], dilation: [2, 1], groups: 1 }],
    ];

    it('avgPool2d and its gradient run natively, with the reference bits', () => {
      const nb = refusingFor('avgPool2d', 'avgPool2dBackward');
      for (const dtype of ['float32', 'float64'] as const)
        for (const transposed of [false, true]) {
          const x = images([2, 3, 17, 19], dtype, transposed);
          for (const [kernel, g] of geometries) {
            const want = jsBackend.avgPool2d(x, kernel, g);
            expect(bitsOf(nb.avgPool2d(x, kernel, g))).toEqual(bitsOf(want));
            const grad = images(want.shape as [number, number, number, number], dtype, transposed);
            if (grad.size < 512) continue;
            expect(bitsOf(nb.avgPool2dBackward(grad, x.shape, kernel, g))).toEqual(bitsOf(jsBackend.avgPool2dBackward(grad, x.shape, kernel, g)));
          }
        }
    });

    /** K taps per output position, M of them, into a line of L; weights in `wdtype`. */
    const tapsOf = (M: number, K: number, L: number, wdtype: 'float32' | 'float64'): { index: View; weight: View } => {
      const w = Float64Array.from({ length: M * K }, (_, i) => Math.cos(i * 0.7) * 0.6);
      return {
        index: { data: Int32Array.from({ length: M * K }, (_, i) => (i * 7 + (i >> 2)) % L), shape: [M, K], stride: [K, 1], offset: 0, size: M * K },
        weight: { data: wdtype === 'float32' ? Float32Array.from(w) : w, shape: [M, K], stride: [K, 1], offset: 0, size: M * K },
      };
    };

    it('resample and its gradient run natively along any dim, with the reference bits', () => {
      const nb = refusingFor('resample', 'resampleBackward');
      for (const dtype of ['float32', 'float64'] as const)
        for (const transposed of [false, true]) {
          const flat = specialView([4 * 30, 20], dtype, transposed);
          const x: View = transposed ? { ...flat, shape: [4, 30, 20], stride: [30, 1, 120] } : { ...flat, shape: [4, 30, 20], stride: [600, 20, 1] };
          for (const dim of [1, 2])
            for (const K of [1, 2, 4]) {
              const L = x.shape[dim]!, M = dim === 1 ? 45 : 33;
              const { index, weight } = tapsOf(M, K, L, dim === 1 ? 'float32' : 'float64');
              const want = jsBackend.resample(x, dim, index, weight);
              expect(bitsOf(nb.resample(x, dim, index, weight))).toEqual(bitsOf(want));
              const g = { ...specialView([want.size / want.shape[2]!, want.shape[2]!], dtype), shape: want.shape, stride: want.stride };
              expect(bitsOf(nb.resampleBackward(g, dim, index, weight, L))).toEqual(bitsOf(jsBackend.resampleBackward(g, dim, index, weight, L)));
            }
        }
    });

    it('resampleBackward into a long dim splits the columns into narrower blocks, with the reference bits', () => {
      const nb = refusingFor('resampleBackward');
      const { index, weight } = tapsOf(10, 2, 5000, 'float64');
      const g = view([1, 10, 300], 'float32');
      expect(bitsOf(nb.resampleBackward(g, 1, index, weight, 5000))).toEqual(bitsOf(jsBackend.resampleBackward(g, 1, index, weight, 5000)));
    });

    it('hand an out-of-range tap and tiny inputs to the base', () => {
      const nb = refusingFor('resample', 'resampleBackward', 'avgPool2d');
      const x = view([4, 30, 20], 'float32');
      const { index, weight } = tapsOf(45, 2, 30, 'float32');
      (index.data as Int32Array)[17] = 30;
      expect(() => nb.resample(x, 1, index, weight)).toThrow('resample ran on the base');
      expect(() => nb.resampleBackward(view([4, 45, 20], 'float32'), 1, index, weight, 30)).toThrow('resampleBackward ran on the base');
      expect(() => nb.avgPool2d(images([1, 1, 5, 5], 'float32'), [2, 2], geometries[1]![1])).toThrow('avgPool2d ran on the base');
      // a window larger than the padded image (no output): the base says what is wrong
      expect(() => nb.avgPool2d(images([1, 1, 30, 30], 'float32'), [40, 40], geometries[1]![1])).toThrow('avgPool2d ran on the base');
    });

    it('give the same bits on 1, 2 and 3 threads', () => {
      const x = images([4, 8, 40, 36], 'float32'), y = view([6, 300, 40], 'float64');
      const { index, weight } = tapsOf(500, 4, 300, 'float64');
      const runs = onThreads(() => {
        const p = nativeBackend.avgPool2d(x, [3, 3], geometries[0]![1]);
        const r = nativeBackend.resample(y, 1, index, weight);
        return [p, nativeBackend.avgPool2dBackward(p, x.shape, [3, 3], geometries[0]![1]), r, nativeBackend.resampleBackward(r, 1, index, weight, 300)].map(rawOf);
      });
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });
}

// Winograd F(4x4, 3x3) (csrc/winograd.cc): float32 3x3 convolutions with stride 1, dilation 1,
// one group, padding 0..2 and at least 8 input and output channels. The tolerances are the wasm
// backend's for the same method (packages/core/test/winograd4.test.ts): the 6x6 transforms round
// more than im2col's products. Measured here (N(0, 1) inputs and weights, the float64 reference):
// forward and input gradient at most 7.6e-6 sqrt(9 K) (K the channels summed over), weight
// gradient at most 4.4e-6 sqrt(L) (L = N Ho Wo positions summed over); allowed 3e-5 sqrt(9 K) and
// 2e-5 sqrt(L).
describe.skipIf(!be)('native conv2d by Winograd F(4x4, 3x3)', () => {
  const nb = be!;
  const addon = loadAddon().addon as unknown as Addon;
  const geo = (p: number, over: Partial<{ stride: [number, number]; dilation: [number, number]; groups: number }> = {}) => ({
    stride: [1, 1] as [number, number], padding: [p, p] as [number, number], dilation: [1, 1] as [number, number], groups: 1, ...over,
  });
  const f64 = (v: View): View => ({ ...v, data: Float64Array.from(v.data as Float32Array) });
  const tol = (K: number) => ({ rtol: 0, atol: 3e-5 * Math.sqrt(9 * K) });
  const tolW = (L: number) => ({ rtol: 0, atol: 2e-5 * Math.sqrt(L) });
  /** How many passes (forward, input gradient, weight gradient) `a`'s Winograd ran during f. */
  const counted = (a: Addon, f: () => void): number[] => {
    const s0 = a.convStats();
    f();
    const s1 = a.convStats();
    return [s1.forward - s0.forward, s1.backwardInput - s0.backwardInput, s1.backwardWeight - s0.backwardWeight];
  };
  /** The three passes of a conv2d on backend b, checked against the float64 reference. */
  const checkPasses = (b: NonNullable<typeof be>, xs: number[], ws: number[], g: ReturnType<typeof geo>, withBias: boolean) => {
    const x = view(xs, 'float32', 'offset'), w = view(ws, 'float32'), bias = withBias ? view([ws[0]!], 'float32') : null;
    const y = b.conv2d(x, w, g, bias);
    const want = jsBackend.conv2d(f64(x), f64(w), g, bias ? f64(bias) : null);
    expect(y.shape).toEqual(want.shape);
    expect(values(y)).toBeAllClose(values(want), tol(xs[1]!));
    const grad = view(want.shape as number[], 'float32');
    expect(values(b.conv2dBackwardInput(grad, w, xs, g))).toBeAllClose(values(jsBackend.conv2dBackwardInput(f64(grad), f64(w), xs, g)), tol(ws[0]!));
    const L = want.shape[0]! * want.shape[2]! * want.shape[3]!;
    expect(values(b.conv2dBackwardWeight(x, grad, ws, g))).toBeAllClose(values(jsBackend.conv2dBackwardWeight(f64(x), f64(grad), ws, g)), tolW(L));
  };
  /**
   * The three passes of each case [x shape, w shape, padding] (sine-filled operands, 2 threads)
   * in a child process whose addon loads with TAPEGRAD_NATIVE_WINOGRAD=value (read once at load:
   * a worker thread's process.env does not reach the C environment), and its convStats() after.
   */
  const runWith = (value: string, cases: Array<[number[], number[], number]>) => {
    const script = `
      const addon = require(process.env.TG_ADDON);
      const fill = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + s));
      const out = JSON.parse(process.env.TG_CASES).map(([[N, C, H, W], [O], p]) => {
        const Ho = H + 2 * p - 2, Wo = W + 2 * p - 2;
        const x = fill(N * C * H * W, 1), w = fill(O * C * 9, 2), g = fill(N * O * Ho * Wo, 3);
        const params = Float64Array.of(N, C, H, W, O, 3, 3, 1, 1, p, p, 1, 1, 1, Ho, Wo, 2);
        const y = new Float32Array(N * O * Ho * Wo), dx = new Float32Array(N * C * H * W), dw = new Float32Array(O * C * 9);
        addon.conv(0, x, w, null, y, params);
        addon.conv(1, g, w, null, dx, params);
        addon.conv(2, x, g, null, dw, params);
        return [y, dx, dw].map((a) => Array.from(a));
      });
      console.log(JSON.stringify({ stats: addon.convStats(), out }));`;
    const r = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, TAPEGRAD_NATIVE_WINOGRAD: value, TG_ADDON: loadAddon().path!, TG_CASES: JSON.stringify(cases) }, encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { stats: ReturnType<Addon['convStats']>; out: number[][][] };
  };
  /** The float64 reference of runWith's passes. */
  const reference = ([[N, C, H, W], [O], p]: [number[], number[], number]): number[][] => {
    const fill = (shape: number[], s: number): View => {
      const n = shape.reduce((a, b) => a * b, 1);
      return { data: Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37 + s))), shape, stride: contiguous(shape), offset: 0, size: n };
    };
    const Ho = H! + 2 * p - 2, Wo = W! + 2 * p - 2, g = geo(p);
    const x = fill([N!, C!, H!, W!], 1), w = fill([O!, C!, 3, 3], 2), grad = fill([N!, O!, Ho, Wo], 3);
    return [jsBackend.conv2d(x, w, g), jsBackend.conv2dBackwardInput(grad, w, x.shape, g), jsBackend.conv2dBackwardWeight(x, grad, w.shape, g)].map(values);
  };

  it('runs the forward pass, input and weight gradient of a fitting convolution and matches the float64 reference (padding 0-2, partial tiles, 8 to 64 channels, 1 to 13 images)', () => {
    expect(addon.convStats().winograd).toBe(process.env.TAPEGRAD_NATIVE_WINOGRAD === '0' ? 'off' : process.env.TAPEGRAD_NATIVE_WINOGRAD === 'force' ? 'force' : 'auto');
    // [N, C, O, H, W, padding]: widths 4k .. 4k + 3 with each padding (partial tiles at the right
    // and bottom), odd channel counts, blocks of tiles that start and end inside tile rows
    // (13 images of 7x7), the convnet's second layer (two images), two images of 11x11 at 64 -> 64
    const cases: Array<[number, number, number, number, number, number]> = [
      [1, 8, 8, 9, 13, 0], [3, 17, 32, 13, 8, 1], [1, 9, 10, 10, 11, 2], [2, 11, 13, 9, 15, 0], [13, 8, 12, 7, 7, 1],
      [1, 10, 9, 6, 6, 2], [2, 32, 64, 26, 26, 0], [2, 64, 64, 11, 11, 1], [1, 12, 8, 28, 28, 1],
    ];
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [N, C, O, H, W, p] of cases) {
        const runs = counted(addon, () => checkPasses(nb, [N, C, H, W], [O, C, 3, 3], geo(p), (N + C) % 2 === 0));
        if (addon.convStats().winograd === 'off') expect(runs).toEqual([0, 0, 0]);
        else expect(runs, `[${N}, ${C}, ${H}, ${W}] padding ${p}`).toEqual([1, 1, 1]);
      }
    }
  });

  it('gives the same bits on one, two and three threads (blocks of tiles per thread; the weight gradient summed over 12 parts in order)', () => {
    // 48 images of 12x12 at 64 -> 64 channels: 432 tiles, 14 blocks of 32, so 12 parts; 128 ->
    // 128 channels on 64 tiles: 2 blocks, run one after another with the threads in the products
    for (const [xs, ws, p] of [[[48, 64, 12, 12], [64, 64, 3, 3], 1], [[5, 16, 17, 19], [24, 16, 3, 3], 2], [[4, 128, 16, 16], [128, 128, 3, 3], 1]] as Array<[number[], number[], number]>) {
      const x = view(xs, 'float32'), w = view(ws, 'float32'), bias = view([ws[0]!], 'float32'), g = geo(p);
      const grad = view([xs[0]!, ws[0]!, xs[2]! + 2 * p - 2, xs[3]! + 2 * p - 2], 'float32');
      const runs = [1, 2, 3].map((n) => {
        setNumThreads(n);
        return [nb.conv2d(x, w, g, bias), nb.conv2dBackwardInput(grad, w, xs, g), nb.conv2dBackwardWeight(x, grad, ws, g)].map((v) => Array.from(v.data));
      });
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
      if (ws[0] === 128) expect(runs[0]![0]!).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), g, f64(bias))), tol(128));
    }
  });

  it('leaves im2col the convolutions below its thresholds or outside its geometry: 7 channels, 5x5 outputs, float64, stride, dilation, groups, padding 3, other kernels', () => {
    const auto = addon.convStats().winograd === 'auto';
    // [x shape, w shape, geometry, the passes Winograd runs (forward, input and weight gradient)]:
    // 7x7 inputs without padding give 5x5 outputs, whose 2x2 tiles do 0.64 of im2col's
    // multiplies (more than MAX_RATIO, 0.5); the input gradient's output is the 7x7 input (0.33)
    const cases: Array<[number[], number[], ReturnType<typeof geo>, number[]]> = [
      [[2, 7, 12, 12], [16, 7, 3, 3], geo(1), [0, 0, 0]], [[2, 16, 12, 12], [7, 16, 3, 3], geo(1), [0, 0, 0]],
      [[2, 8, 12, 12], [8, 8, 3, 3], geo(1), [1, 1, 1]], [[2, 16, 7, 7], [16, 16, 3, 3], geo(0), [0, 1, 0]],
      [[2, 16, 8, 8], [16, 16, 3, 3], geo(0), [1, 1, 1]],
      [[2, 8, 12, 12], [8, 8, 3, 3], geo(1, { stride: [2, 2] }), [0, 0, 0]], [[2, 8, 12, 12], [8, 8, 3, 3], geo(1, { dilation: [2, 2] }), [0, 0, 0]],
      [[2, 16, 12, 12], [16, 8, 3, 3], geo(1, { groups: 2 }), [0, 0, 0]], [[2, 8, 12, 12], [8, 8, 3, 3], geo(3), [0, 0, 0]],
      [[2, 8, 12, 12], [8, 8, 5, 5], geo(2), [0, 0, 0]], [[2, 8, 12, 12], [8, 8, 3, 1], geo(1), [0, 0, 0]],
      // 4 tiles for 64 x 64 filters (fewer than O C / 256): only the weight gradient
      [[1, 64, 7, 7], [64, 64, 3, 3], geo(1), [0, 0, 1]],
    ];
    for (const [xs, ws, g, wino] of cases) {
      const runs = counted(addon, () => {
        const x = view(xs, 'float32'), w = view(ws, 'float32');
        const y = nb.conv2d(x, w, g);
        expect(values(y)).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), g)), { rtol: 1e-4, atol: 1e-4 });
        const grad = view(y.shape, 'float32');
        nb.conv2dBackwardInput(grad, w, xs, g);
        nb.conv2dBackwardWeight(x, grad, ws, g);
      });
      expect(runs, `${xs} ${ws} ${JSON.stringify(g)}`).toEqual(auto ? wino : [0, 0, 0]);
    }
    // float64 stays on im2col
    const x = view([2, 8, 12, 12], 'float64'), w = view([8, 8, 3, 3], 'float64');
    expect(counted(addon, () => nb.conv2d(x, w, geo(1)))).toEqual([0, 0, 0]);
  });

  it('TAPEGRAD_NATIVE_WINOGRAD=0 (read at load) runs every convolution by im2col, and force runs Winograd on any geometry it can do', () => {
    // a Winograd-fit convolution by im2col: nothing counted, im2col's tolerance
    const fitting: Array<[number[], number[], number]> = [[[2, 16, 12, 12], [16, 16, 3, 3], 1]];
    const off = runWith('0', fitting);
    expect(off.stats).toEqual({ winograd: 'off', forward: 0, backwardInput: 0, backwardWeight: 0 });
    off.out[0]!.forEach((got, i) => expect(got).toBeAllClose(reference(fitting[0]!)[i]!, { rtol: 1e-4, atol: 1e-4 }));
    // forced: 1 to 5 channels, images narrower than a vector, a single output (the 1x1 tile of a
    // 1x1 image with padding 1), 5x5 outputs
    const small: Array<[number[], number[], number]> = [[[2, 3, 5, 6], [2, 3, 3, 3], 2], [[1, 1, 1, 1], [3, 1, 3, 3], 1], [[3, 2, 3, 2], [1, 2, 3, 3], 1], [[2, 4, 7, 7], [5, 4, 3, 3], 0]];
    const force = runWith('force', small);
    expect(force.stats).toEqual({ winograd: 'force', forward: 4, backwardInput: 4, backwardWeight: 4 });
    small.forEach((c, k) => {
      const [[N, C, H, W], [O], p] = c;
      const want = reference(c);
      expect(force.out[k]![0]!, `${c}`).toBeAllClose(want[0]!, tol(C!));
      expect(force.out[k]![1]!, `${c}`).toBeAllClose(want[1]!, tol(O!));
      expect(force.out[k]![2]!, `${c}`).toBeAllClose(want[2]!, tolW(N! * (H! + 2 * p - 2) * (W! + 2 * p - 2)));
    });
  });
});

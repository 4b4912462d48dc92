// What runs where code generation from strings is refused: a page with a strict
// Content-Security-Policy (scripts/browser-check.ts, in Chromium) and a Node vm context with
// codeGeneration { strings: false } (packages/core/test/no-codegen.test.ts). Loading core, nn
// and optim must not throw an EvalError; every backend that loaded must compute the ops right
// and train; where WebAssembly may not be compiled either, core must fall back to the js
// backend. Touches no browser-only global, so it runs in both.
import {
  conv2d, erf, getBackend, getCpuCapability, manualSeed, randn, setBackend, tensor, zeros, type Tensor,
} from '@tapegrad/core';
import { Linear, MSELoss, ReLU, Sequential } from '@tapegrad/nn';
import { Adam } from '@tapegrad/optim';

/** One named check and what it saw. */
export interface CspCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What {@link cspChecks} found. */
export interface CspResult {
  backend: string;
  capability: string;
  checks: CspCheck[];
}

/** The largest |a - b| / (1 + |b|) over all elements (NaN where either is NaN). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!));
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

const values = (t: Tensor): number[] => Array.from(t.contiguous().data);

/** Ops against plain-JS references, forward and backward, and a short training run on the current backend. */
function opChecks(check: (name: string, ok: boolean, detail: string) => void): void {
  const b = getBackend();
  manualSeed(5);
  // strided (transposed) operand, broadcast row, float32
  const x = randn([200, 300]).T;
  const row = randn([200]);
  const xs = values(x);
  const rs = values(row);
  const e = maxRelDiff(values(x.exp()), xs.map((v) => Math.fround(Math.exp(v))));
  check(`${b}: exp of a transposed [300, 200]`, e < 1e-6, `max relative difference ${e.toExponential(2)}`);
  const s = maxRelDiff(values(x.add(row)), xs.map((v, i) => Math.fround(v + rs[i % 200]!)));
  check(`${b}: add of a broadcast row`, s === 0, `max relative difference ${s}`);
  // float64 element-wise: the js reference kernels on either backend
  const f = values(erf(tensor([NaN, 0.5, -3], { dtype: 'float64' })));
  const fe = maxRelDiff(f.slice(1), [0.5204998778130465, -0.9999779095030014]);
  check(`${b}: float64 erf`, Number.isNaN(f[0]) && fe < 1e-15, `[${f.join(', ')}]`);
  // a rank-7 tensor: no code per rank
  const r7 = zeros([2, 1, 3, 1, 2, 1, 2]).add(1).sum().item();
  check(`${b}: rank-7 tensor`, r7 === 24, `sum ${r7}`);
  // matrix product against float64
  const a = randn([64, 48]);
  const w = randn([48, 32]);
  const [av, wv] = [values(a), values(w)];
  const ref: number[] = [];
  for (let i = 0; i < 64; i++)
    for (let j = 0; j < 32; j++) {
      let acc = 0;
      for (let k = 0; k < 48; k++) acc += av[i * 48 + k]! * wv[k * 32 + j]!;
      ref.push(acc);
    }
  const m = maxRelDiff(values(a.matmul(w)), ref);
  check(`${b}: matmul [64, 48] x [48, 32]`, m < 1e-4, `max relative difference ${m.toExponential(2)}`);
  // large enough for the wasm backend's thread pool where the page is cross-origin isolated
  const big = randn([256, 512]);
  const bigT = values(big.matmul(big.T));
  const bv = values(big);
  let worst = 0;
  for (let i = 0; i < 256; i += 15)
    for (let j = 0; j < 256; j += 7) {
      let acc = 0;
      for (let k = 0; k < 512; k++) acc += bv[i * 512 + k]! * bv[j * 512 + k]!;
      worst = Math.max(worst, Math.abs(bigT[i * 256 + j]! - acc) / (1 + Math.abs(acc)));
    }
  check(`${b}: matmul [256, 512] x [512, 256]`, worst < 1e-4, `max relative difference ${worst.toExponential(2)} (sampled)`);
  const c = values(conv2d(tensor(new Array(50).fill(1)).reshape([1, 2, 5, 5]), tensor(new Array(54).fill(1)).reshape([3, 2, 3, 3])));
  check(`${b}: conv2d of ones`, c.length === 27 && c.every((v) => v === 18), `${c.length} outputs, first ${c[0]}`);
  // backward: d/dx sum(x * x) = 2x
  const g = randn([5, 7], { requiresGrad: true });
  g.mul(g).sum().backward();
  const gd = maxRelDiff(values(g.grad!), values(g).map((v) => 2 * v));
  check(`${b}: gradient of sum(x * x)`, gd === 0, `max relative difference ${gd}`);
  // a few Adam steps of a small MLP on fixed data
  manualSeed(3);
  const model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 1));
  const opt = new Adam(model.parameters(), { lr: 1e-2 });
  const input = randn([64, 8]);
  const target = input.sum(1, { keepdim: true });
  const lossFn = new MSELoss();
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    opt.zeroGrad();
    const loss = lossFn.call(model.call(input), target);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  const [first, last] = [losses[0]!, losses[losses.length - 1]!];
  check(`${b}: an MLP trains`, last < first * 0.5, `loss ${first.toFixed(3)} -> ${last.toFixed(3)} in 30 Adam steps`);
}

/**
 * Runs the checks on every backend core made available. `expectWasm`: whether the host lets
 * WebAssembly compile (then wasm must be the default), else js must be, with wasm refused by
 * setBackend. `wasmRefusal` says why the host refuses it, for the report.
 */
export function cspChecks(expectWasm: boolean): CspResult {
  const checks: CspCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const backend = getBackend();
  const capability = getCpuCapability();
  check('default backend', backend === (expectWasm ? 'wasm' : 'js'), `getBackend() = ${backend}, getCpuCapability() = ${capability}`);
  let wasmError = 'none';
  try {
    setBackend('wasm');
  } catch (e) {
    wasmError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  check(
    expectWasm ? 'setBackend("wasm") works' : 'setBackend("wasm") refused, js only',
    expectWasm ? wasmError === 'none' : /\(wasm is unavailable here: .+\); available: js$/.test(wasmError),
    expectWasm ? 'no error' : wasmError,
  );
  for (const name of expectWasm ? ['wasm', 'js'] : ['js']) {
    setBackend(name);
    try {
      opChecks(check);
    } catch (e) {
      check(`${name}: ops ran`, false, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  }
  setBackend(backend);
  return { backend, capability, checks };
}

/** Why this host refuses to compile WebAssembly ('compiles' if it does not). */
export function wasmRefusal(): string {
  try {
    // the smallest valid module
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return 'compiles';
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

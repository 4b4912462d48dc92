// The issue-21 fixes to the first examples: where the lecture notes' figures and the examples'
// figures part, each example now runs the notes' exact recipe too and says why. The figures are
// checked here against plain-JS transcriptions (float64 loops, no tapegrad).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../../test/matchers.js';
import { manualSeed, randn, tensor } from '@tapegrad/core';
import { loadIris } from '@tapegrad/datasets';
import { Linear } from '@tapegrad/nn';
import { gradients, main as mnistSigmoid, normalise, notesLoss, notesLossAutograd, notesNet, sigmoidNet } from '../src/mnist-sigmoid.js';
import { NumpyRandomState } from '../src/numpy-random.js';
import { main as adaline } from '../src/adaline.js';
import { main as backprop } from '../src/backprop.js';
import { main as irisNeuron } from '../src/iris-neuron.js';
import type { ExampleArgs } from '../src/util.js';
import { irisRows, runExample, sigmoid, standardizeRows } from './helpers.js';

type Matrix = number[][];
const matvec = (w: Matrix, b: number[], x: number[]): number[] => w.map((row, j) => row.reduce((s, wk, k) => s + wk * x[k]!, b[j]!));

/**
 * The notes' NumPy code, transcribed: forward (y_2 = σ(a), then y_2 /= Σ y_2), d11_d9 = 1/N (y_2 − y),
 * d9_d8 = y_2 (1 − y_2) on that normalised y_2, then the chain through the hidden sigmoids; and the
 * exact ∂L/∂a of the same loss, (g − Σ_j g_j o_j)·o(1 − s), for autograd's.
 */
function notesGradient(W1: Matrix, b1: number[], W2: Matrix, b2: number[], xs: Matrix, ys: Matrix) {
  const N = xs.length;
  const dW1 = W1.map((r) => r.map(() => 0));
  const db1 = b1.map(() => 0);
  const dW2 = W2.map((r) => r.map(() => 0));
  const db2 = b2.map(() => 0);
  const dLda: Matrix = [];
  const exact: Matrix = [];
  let loss = 0;
  xs.forEach((x, n) => {
    const y1 = matvec(W1, b1, x).map(sigmoid);
    const s = matvec(W2, b2, y1).map(sigmoid);
    const S = s.reduce((p, q) => p + q, 0);
    const o = s.map((v) => v / S);
    o.forEach((v, k) => (loss += (v - ys[n]![k]!) ** 2 / (2 * N)));
    const g = o.map((v, k) => (v - ys[n]![k]!) / N); // d11_d9
    const d8 = g.map((gk, k) => gk * o[k]! * (1 - o[k]!)); // d12_d8 = d11_d9 * d9_d8
    dLda.push(d8);
    const go = g.reduce((p, gk, k) => p + gk * o[k]!, 0);
    exact.push(g.map((gk, k) => (gk - go) * o[k]! * (1 - s[k]!)));
    d8.forEach((d, k) => {
      db2[k] += d;
      y1.forEach((a, j) => (dW2[k]![j] += d * a));
    });
    const d4 = y1.map((a, j) => d8.reduce((p, d, k) => p + d * W2[k]![j]!, 0) * a * (1 - a));
    d4.forEach((d, j) => {
      db1[j] += d;
      x.forEach((xi, i) => (dW1[j]![i] += d * xi));
    });
  });
  return { loss, dLda, exact, params: [dW1, db1, dW2, db2] };
}

describe('mnist-sigmoid', () => {
  it("the custom backward gives the notes' hand gradient g·o(1 − o), and autograd gives the exact (g − Σ g o)·o(1 − s)", () => {
    manualSeed(5);
    const model = sigmoidNet();
    const x = randn([6, 784]).sigmoid(); // pixel-like values in (0, 1)
    const labels = [3, 1, 4, 1, 5, 9];
    const y = tensor(labels.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))));
    const [l1, l2] = model.modules().filter((m): m is Linear => m instanceof Linear);
    const arr = (t: { toArray(): unknown }) => t.toArray() as Matrix;
    const ref = notesGradient(arr(l1!.weight), l1!.bias!.toArray() as number[], arr(l2!.weight), l2!.bias!.toArray() as number[], arr(x), arr(y));

    const notes = gradients(model, x, y, notesLoss);
    expect(notes.dLda).toBeAllClose(ref.dLda, { rtol: 1e-4, atol: 1e-7 });
    notes.params.forEach((p, i) => expect(p).toBeAllClose(ref.params[i]!, { rtol: 1e-3, atol: 1e-6 }));
    // The loss values agree with the notes' L: the custom function changes the backward only.
    expect(notesLoss(model.call(x), y).item()).toBeCloseTo(ref.loss, 5);
    expect(notesLossAutograd(model.call(x), y).item()).toBeCloseTo(ref.loss, 5);

    const exact = gradients(model, x, y, notesLossAutograd);
    expect(exact.dLda).toBeAllClose(ref.exact, { rtol: 1e-4, atol: 1e-7 });
    // ...and the two differ: the notes' gradient is a different direction.
    const w2 = exact.params[2]!.sub(notes.params[2]!).abs().max().item();
    expect(w2).toBeGreaterThan(1e-2 * notes.params[2]!.abs().max().item());
  });

  it('normalises outputs whose sigmoids all underflow float32 (a ≈ −150, where the notes\' float64 run goes) to σ(a) / Σ σ(a)', () => {
    const a = [-150, -152, -155, -149, -160, -151, -150.5, -170, -148, -153];
    // σ(a) = e^a / (1 + e^a) ≈ e^a here, so o = e^a / Σ e^a (in float64 plain JS, shifted by the max).
    const e = a.map((v) => Math.exp(v + 148));
    const o = e.map((v) => v / e.reduce((p, q) => p + q, 0));
    const out = normalise(tensor([a]));
    expect(out).toBeAllClose([o], { rtol: 1e-5, atol: 1e-7 });
    // and the notes' loss and its gradient stay finite there
    const x = tensor([a], { requiresGrad: true });
    notesLoss(x, tensor([[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]])).backward();
    expect(Number.isFinite(x.grad!.abs().sum().item())).toBe(true);
  });

  it("notesNet starts from NumPy's np.random.seed(21); randn(784, 100); randn(100, 10) and continues with np.random.choice's batches", () => {
    // Reference draws printed by NumPy 2.4.6 (legacy RandomState):
    //   np.random.seed(21); w = np.random.randn(784, 100); w2 = np.random.randn(100, 10); c = np.random.choice(60000, 1000)
    const rs = new NumpyRandomState(21);
    const model = notesNet(rs);
    const [l1, l2] = model.modules().filter((m): m is Linear => m instanceof Linear);
    const W1 = l1!.weight.toArray() as Matrix; // [100, 784]: w transposed
    const W2 = l2!.weight.toArray() as Matrix;
    expect([W1[0]![0], W1[1]![0], W1[2]![0], W1[99]![783]]).toBeAllClose([-0.05196425, -0.11119605, 1.0417968, -1.8761448546955202], { rtol: 1e-6 });
    expect([W2[0]![0], W2[9]![99]]).toBeAllClose([0.45245551508075776, -0.5506624017003159], { rtol: 1e-6 });
    expect(l1!.bias!.toArray()).toBeAllClose(new Array(100).fill(0.1));
    const c = rs.randint(60000, 1000);
    expect([...c.slice(0, 5), c[999]]).toEqual([5432, 43833, 21144, 46591, 42054, 37699]);
    expect(rs.randint(10000, 5)).toEqual([7354, 2266, 859, 2679, 2588]);
  });

  it("NumpyRandomState gives NumPy's legacy draws: randn pairs, randint's masked rejection, random_sample's 53 bits", () => {
    // np.random.seed(21); np.random.randn(5)
    expect(new NumpyRandomState(21).randn(5)).toEqual([-0.051964249505532176, -0.11119605035442469, 1.0417967990841295, -1.256739294064987, 0.7453876814972659]);
    // np.random.seed(0); np.random.randint(0, 60000, 5); np.random.random_sample(2)
    const rs = new NumpyRandomState(0);
    expect(rs.randint(60000, 5)).toEqual([2732, 43567, 42613, 52416, 45891]);
    expect([rs.randomDouble(), rs.randomDouble()]).toEqual([0.8579456176227568, 0.8472517387841254]);
    expect(() => new NumpyRandomState(-1)).toThrow(/NumpyRandomState: seed must be an integer/);
  });
});

describe('mnist-sigmoid (quick run)', () => {
  it("prints both gradients side by side and trains the notes' variant and the autograd variant", async () => {
    const { result, text } = await runExample<{ notes: { testAccuracy: number; history: unknown[] }; autograd: { testAccuracy: number; history: unknown[] } }>(mnistSigmoid, { quick: true, epochs: 1 });
    expect(text).toContain("||notes' gradient||");
    expect(text).toMatch(/^ {2}W1 +\d\.\d{4}e-\d +\d\.\d{4}e-\d +\d\.\d{4}e-\d$/m);
    expect(result.notes.history).toHaveLength(1);
    expect(result.autograd.history).toHaveLength(1);
    expect(text).toContain(`test accuracy: notes' code ${result.notes.testAccuracy.toFixed(4)}, autograd's recipe ${result.autograd.testAccuracy.toFixed(4)}`);
    expect(text).toContain('test_accuracy');
    // The notes' variant follows the notes' NumPy code step for step: the figures after one epoch
    // (10 steps on the first 10,000 training images, tested on the first 1,000) are those of a
    // float64 NumPy transcription (np.random.seed(21); make_params; np.random.choice(10000, 1000);
    // d12_d8 = 1/N (y_2 − y)·y_2 (1 − y_2) on the normalised y_2; eta 2.0; pixels / 255).
    const first = result.notes.history[0] as { test_loss: number };
    expect(result.notes.testAccuracy).toBe(0.14);
    expect(first.test_loss).toBeCloseTo(0.6070634, 4);
  });
});

describe('iris-neuron (the notes\' worked numbers and step counts)', () => {
  const IRIS = loadIris().features.toArray() as number[][];
  /** Full-batch gradient descent on 1/(2·divisor) Σ (y′ − y)² from w = b = 0.1; [w0..w3, b]. */
  function gd(x: number[][], y: number[], steps: number, eta: number, divisor = x.length): number[] {
    const w = [0.1, 0.1, 0.1, 0.1, 0.1];
    for (let s = 0; s < steps; s++) {
      const d = x.map((r, i) => {
        const a = sigmoid(r.reduce((p, v, j) => p + w[j]! * v, w[4]!));
        return ((a - y[i]!) * a * (1 - a)) / divisor;
      });
      for (let j = 0; j < 4; j++) w[j]! -= eta * d.reduce((p, di, i) => p + di * x[i]![j]!, 0);
      w[4]! -= eta * d.reduce((p, di) => p + di, 0);
    }
    return w;
  }
  const trainIdx = [...Array(40).keys(), ...Array.from({ length: 40 }, (_, i) => 50 + i)];

  it("prints y′, the exact loss 0.19693, ∂L/∂w0 0.37980 and w0 after one step with eta 0.5, and the step-count explanation", async () => {
    const { result, text } = await runExample<{ worked: { yPrime: number[]; loss: number; dLdw0: number; w0: number }; steps: Record<string, number[]> }>(irisNeuron);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 1, 2, 3]);
    const y = [0, 1, 0];
    const yp = x.slice(0, 3).map((r) => sigmoid(r.reduce((s, v) => s + 0.1 * v, 0.1)));
    const L = yp.reduce((s, p, i) => s + (p - y[i]!) ** 2, 0) / 6;
    const g0 = yp.reduce((s, p, i) => s + (p - y[i]!) * p * (1 - p) * x[i]![0]!, 0) / 3;
    expect(L.toFixed(5)).toBe('0.19693');
    expect(g0.toFixed(5)).toBe('0.37980');
    expect(result.worked.yPrime).toBeAllClose(yp, { rtol: 1e-12 });
    expect(text).toContain(`y′ = σ(w·x + b) = [${yp.map((p) => p.toFixed(5)).join(', ')}]`);
    expect(text).toContain(`Σ (y′ − y)² = ${L.toFixed(5)}   (the notes print 0.19169`);
    expect(text).toContain(`x0 = ${g0.toFixed(5)}   (the notes print 0.3827`);
    expect(text).toContain(`0.1 − 0.5 · ${g0.toFixed(5)} = ${(0.1 - 0.5 * g0).toFixed(5)}`);

    const xt = trainIdx.map((i) => x[i]!);
    const yt = trainIdx.map((i) => k[i]!);
    expect(result.steps.rule80).toBeAllClose(gd(xt, yt, 80, 0.1), { rtol: 1e-9 });
    expect(result.steps.code100).toBeAllClose(gd(xt, yt, 100, 0.1, 100), { rtol: 1e-9 });
    // 100 steps at 0.8 of the rule's size land near 80 steps of the rule; 999 near 799 (predictions within 1e-4).
    expect(result.steps.code100).toBeAllClose(result.steps.rule80, { atol: 1e-3, rtol: 0 });
    expect(result.steps.code999).toBeAllClose(result.steps.rule799, { atol: 1e-4, rtol: 0 });
    expect(text).toContain('rows 35 ([4.9, 3.1, 1.5, 0.1]) and 38 ([4.9, 3.1, 1.5, 0.1])');
  });

  it('trains on the original UCI rows 35 and 38 when asked', async () => {
    expect(IRIS[34]!.map((v) => +v.toFixed(1))).toEqual([4.9, 3.1, 1.5, 0.2]); // the corrected table is bundled
    expect(IRIS[37]!.map((v) => +v.toFixed(1))).toEqual([4.9, 3.6, 1.4, 0.1]);
    const { result, text } = await runExample<{ after15: { weights: number[]; bias: number } }>(irisNeuron, { originalRows: true } as ExampleArgs);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 1, 2, 3]);
    x[34] = [4.9, 3.1, 1.5, 0.1];
    x[37] = [4.9, 3.1, 1.5, 0.1];
    const w = gd(trainIdx.map((i) => x[i]!), trainIdx.map((i) => k[i]!), 15, 0.1);
    expect([...result.after15.weights, result.after15.bias]).toBeAllClose(w, { rtol: 1e-9 });
    expect(text).toContain('training on the original UCI rows 35 and 38');
  });
});

describe("adaline (the notes' SGD and decision regions)", () => {
  it("runs the notes' SGD (rows in order, ½·SSE over all rows after each epoch) as plain JS does, and draws the regions", async () => {
    type Run = { costs: number[]; weights: number[]; misclassified: number };
    const { result, out } = await runExample<Record<string, Run>>(adaline);
    const IRIS = loadIris().features.toArray() as number[][];
    const { x: raw, k } = irisRows(IRIS, [0, 1], [0, 2]);
    const y = k.map((c) => (c === 1 ? 1 : -1));
    for (const [key, x] of [['sgd_notes_raw', raw], ['sgd_notes_std', standardizeRows(raw)]] as const) {
      const w = [0, 0, 0]; // [b, w1, w2]
      const costs: number[] = [];
      for (let e = 0; e < 15; e++) {
        x.forEach((r, i) => {
          const err = y[i]! - (w[0]! + w[1]! * r[0]! + w[2]! * r[1]!);
          w[0]! += 0.01 * err;
          w[1]! += 0.01 * err * r[0]!;
          w[2]! += 0.01 * err * r[1]!;
        });
        costs.push(0.5 * x.reduce((s, r, i) => s + (y[i]! - (w[0]! + w[1]! * r[0]! + w[2]! * r[1]!)) ** 2, 0));
      }
      expect(result[key]!.costs).toBeAllClose(costs, { rtol: 1e-9 });
      expect(result[key]!.weights).toBeAllClose(w, { rtol: 1e-9 });
    }
    for (const what of ['regions-gd', 'regions-sgd', 'sgd-notes']) expect(existsSync(join(out, `adaline-${what}.svg`))).toBe(true);
  });
});

describe('backprop (the neuron-level diagram)', () => {
  it('draws inputs, h1, h2, o1, o2 and the targets, each weight on its edge with its value and gradient', async () => {
    const { result, out } = await runExample<{ gradients: number[]; h1: number; o2: number; diagram: string }>(backprop);
    const svg = readFileSync(join(out, 'backprop-network.svg'), 'utf8');
    expect(svg).toBe(result.diagram);
    expect(existsSync(join(out, 'backprop-graph.svg'))).toBe(true); // the op-level graph beside it
    for (const name of ['i1', 'i2', 'h1', 'h2', 'o1', 'o2', 't1', 't2']) expect(svg).toContain(`>${name}</text>`);
    const weights = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
    weights.forEach((w, k) => {
      expect(svg).toContain(`>w${k + 1} = ${w.toFixed(2)}</text>`);
      expect(svg).toContain(`>∂E/∂w${k + 1} = ${result.gradients[k]!.toFixed(6)}</text>`);
    });
    // The published values: h1 = 0.593269992, o2 = 0.772928465, ∂E/∂w5 = 0.082167041.
    expect(svg).toContain(`>${(0.593269992).toFixed(6)}</text>`);
    expect(svg).toContain(`>${(0.772928465).toFixed(6)}</text>`);
    expect(svg).toContain('>∂E/∂w5 = 0.082167</text>');
    expect(svg.match(/<line /g)!.length).toBe(8 + 4 + 2); // 8 weights, 4 bias links, 2 target links
  });
});

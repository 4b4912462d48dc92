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
import { gradients, main as mnistSigmoid, notesLoss, notesLossAutograd, sigmoidNet } from '../src/mnist-sigmoid.js';
import { main as adaline } from '../src/adaline.js';
import { main as backprop } from '../src/backprop.js';
import { main as irisNeuron } from '../src/iris-neuron.js';
import type { ExampleArgs } from '../src/util.js';
import { irisRows, runExample, sigmoid, standardizeRows } from './helpers.js';

type Matrix = number[][];
const matvec = (w: Matrix, b: number[], x: number[]): number[] => w.map((row, j) => row.reduce((s, wk, k) => s + wk * x[k]!, b[j]!));

/** The notes' NumPy code, transcribed: forward, d11_d9 = 1/N (y_2 − y), then the chain through the sigmoids. */
function notesGradient(W1: Matrix, b1: number[], W2: Matrix, b2: number[], xs: Matrix, ys: Matrix) {
  const N = xs.length;
  const dW1 = W1.map((r) => r.map(() => 0));
  const db1 = b1.map(() => 0);
  const dW2 = W2.map((r) => r.map(() => 0));
  const db2 = b2.map(() => 0);
  const dLds: Matrix = [];
  const normTerm: Matrix = []; // autograd's ∂L/∂s minus the notes'
  xs.forEach((x, n) => {
    const a1 = matvec(W1, b1, x).map(sigmoid);
    const s = matvec(W2, b2, a1).map(sigmoid);
    const S = s.reduce((p, q) => p + q, 0);
    const o = s.map((v) => v / S);
    const g = o.map((v, k) => (v - ys[n]![k]!) / N); // d11_d9
    dLds.push(g);
    const go = g.reduce((p, gk, k) => p + gk * o[k]!, 0);
    normTerm.push(g.map((gk) => (gk - go) / S - gk));
    const dz2 = g.map((gk, k) => gk * s[k]! * (1 - s[k]!));
    dz2.forEach((d, k) => {
      db2[k] += d;
      a1.forEach((a, j) => (dW2[k]![j] += d * a));
    });
    const dz1 = a1.map((a, j) => dz2.reduce((p, d, k) => p + d * W2[k]![j]!, 0) * a * (1 - a));
    dz1.forEach((d, j) => {
      db1[j] += d;
      x.forEach((xi, i) => (dW1[j]![i] += d * xi));
    });
  });
  return { dLds, normTerm, params: [dW1, db1, dW2, db2] };
}

describe('mnist-sigmoid', () => {
  it("the custom backward gives the notes' hand gradient, and autograd's differs from it by exactly the normalisation term", () => {
    manualSeed(5);
    const model = sigmoidNet();
    const x = randn([6, 784]).sigmoid(); // pixel-like values in (0, 1)
    const labels = [3, 1, 4, 1, 5, 9];
    const y = tensor(labels.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))));
    const [l1, l2] = model.modules().filter((m): m is Linear => m instanceof Linear);
    const arr = (t: { toArray(): unknown }) => t.toArray() as Matrix;
    const ref = notesGradient(arr(l1!.weight), l1!.bias!.toArray() as number[], arr(l2!.weight), l2!.bias!.toArray() as number[], arr(x), arr(y));

    const notes = gradients(model, x, y, notesLoss);
    expect(notes.dLds).toBeAllClose(ref.dLds, { rtol: 1e-4, atol: 1e-7 });
    notes.params.forEach((p, i) => expect(p).toBeAllClose(ref.params[i]!, { rtol: 1e-3, atol: 1e-6 }));
    // The loss values agree: the custom function changes the backward only.
    expect(notesLoss(model.call(x), y).item()).toBeCloseTo(notesLossAutograd(model.call(x), y).item(), 6);

    const exact = gradients(model, x, y, notesLossAutograd);
    expect(exact.dLds.sub(notes.dLds)).toBeAllClose(ref.normTerm, { rtol: 1e-4, atol: 1e-7 });
    // ...and the difference is not small: the notes' gradient is a different direction.
    const w2 = exact.params[2]!.sub(notes.params[2]!).abs().max().item();
    expect(w2).toBeGreaterThan(1e-3 * notes.params[2]!.abs().max().item());
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

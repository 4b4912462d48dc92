// The issue-21 fixes to the first examples: where the lecture notes' figures and the examples'
// figures part, each example now runs the notes' exact recipe too and says why. The figures are
// checked here against plain-JS transcriptions (float64 loops, no tapegrad).
import { describe, expect, it } from 'vitest';
import '../../test/matchers.js';
import { manualSeed, randn, tensor } from '@tapegrad/core';
import { Linear } from '@tapegrad/nn';
import { gradients, main as mnistSigmoid, notesLoss, notesLossAutograd, sigmoidNet } from '../src/mnist-sigmoid.js';
import { runExample, sigmoid } from './helpers.js';

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

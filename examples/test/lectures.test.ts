// Runs the lecture examples 1-7 and 12 end to end and checks their figures against values
// computed here independently: closed forms, published figures, and plain-JS re-implementations
// of the same algorithms (float64 loops, no tapegrad).
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadIris } from '@tapegrad/datasets';
import { main as neuron } from '../src/neuron.js';
import { main as perceptron } from '../src/perceptron.js';
import { main as adaline } from '../src/adaline.js';
import { main as irisNeuron } from '../src/iris-neuron.js';
import { main as logisticRegression } from '../src/logistic-regression.js';
import { main as xor } from '../src/xor.js';
import { main as backprop } from '../src/backprop.js';
import { main as deepNn } from '../src/deep-nn.js';
import { EXAMPLES } from '../src/registry.js';
import { irisRows, runExample, sigmoid, standardizeRows } from './helpers.js';

// The raw Iris table, read once as plain numbers (the data, not the code under test).
const IRIS = (loadIris().features.toArray() as number[][]);

describe('registry', () => {
  it('lists the twelve examples of the lecture series, then the others, each with a description and a main', async () => {
    expect(Object.keys(EXAMPLES)).toEqual([
      'neuron', 'perceptron', 'adaline', 'iris-neuron', 'logistic-regression', 'xor', 'backprop',
      'mnist-sigmoid', 'mnist-mlp', 'mnist-small', 'mnist-cnn', 'deep-nn',
      'onnx',
    ]);
    for (const entry of Object.values(EXAMPLES)) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(typeof (await entry.load()).main).toBe('function');
    }
  });
});

describe('neuron', () => {
  it('prints sigmoid(0*2 + 1*3 + 0) and the 2-2-1 network output sigmoid(sigmoid(3))', async () => {
    const { result, text } = await runExample<{ neuron: number; h1: number; h2: number; o1: number }>(neuron);
    const single = 1 / (1 + Math.exp(-3));
    expect(single).toBeCloseTo(0.9525741, 7);
    expect(result.neuron).toBeCloseTo(single, 14);
    expect(result.h1).toBeCloseTo(single, 14);
    expect(result.h2).toBeCloseTo(single, 14);
    // o1 = sigmoid(0 * h1 + 1 * h2 + 0)
    expect(result.o1).toBeCloseTo(sigmoid(single), 14);
    expect(result.o1).toBeCloseTo(0.7216325609518421, 12);
    expect(text).toContain(String(single));
    expect(text).toContain(String(result.o1));
  });
});

/** Rosenblatt's rule in plain JS: errors per epoch and [b, w1, w2] after each epoch. */
function plainPerceptron(x: number[][], y: number[], eta: number, epochs: number, start = [0, 0, 0]) {
  const w = start.slice();
  const errors: number[] = [];
  const weights: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    let n = 0;
    x.forEach((xi, i) => {
      const z = w[0]! + w[1]! * xi[0]! + w[2]! * xi[1]!;
      const update = eta * (y[i]! - (z >= 0 ? 1 : -1));
      w[0]! += update;
      w[1]! += update * xi[0]!;
      w[2]! += update * xi[1]!;
      if (update !== 0) n++;
    });
    errors.push(n);
    weights.push(w.slice());
  }
  return { errors, weights };
}

describe('perceptron', () => {
  it('matches a plain-JS perceptron on the same Iris rows, epoch by epoch, and draws its regions', async () => {
    const { result, lines, out } = await runExample<{ errors: number[]; weights: number[][]; errorsRandomStart: number[]; weightsRandomStart: number[][]; misclassified: number }>(perceptron);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 2]);
    const y = k.map((c) => (c === 0 ? -1 : 1));
    expect(x).toHaveLength(100);
    const ref = plainPerceptron(x, y, 0.1, 10);
    expect(result.errors).toEqual(ref.errors);
    expect(result.weights).toBeAllClose(ref.weights, { rtol: 1e-12, atol: 1e-12 });
    // The printed lines carry the same counts.
    ref.errors.forEach((n, e) => expect(lines.some((l) => l.startsWith(`epoch ${String(e + 1).padStart(2)}  misclassifications ${n} `))).toBe(true));
    expect(result.misclassified).toBe(0);
    expect(existsSync(join(out, 'perceptron-regions.svg'))).toBe(true);
  });

  it('reproduces the published error counts: 2,2,3,2,1,0,... from zero weights and 1,3,3,2,1,0,... from the seed-1 start', async () => {
    const { result } = await runExample<{ errors: number[]; errorsRandomStart: number[]; weightsRandomStart: number[][] }>(perceptron);
    expect(result.errors).toEqual([2, 2, 3, 2, 1, 0, 0, 0, 0, 0]);
    expect(result.errorsRandomStart).toEqual([1, 3, 3, 2, 1, 0, 0, 0, 0, 0]);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 2]);
    const ref = plainPerceptron(x, k.map((c) => (c === 0 ? -1 : 1)), 0.1, 10, [0.01624345, -0.00611756, -0.00528172]);
    expect(result.weightsRandomStart).toBeAllClose(ref.weights, { rtol: 1e-6, atol: 1e-7 });
  });
});

/** Adaline by batch gradient descent on ½ Σ (y − z)², plain JS; the cost before each step. */
function plainAdalineGD(x: number[][], y: number[], eta: number, epochs: number): { costs: number[]; w: number[] } {
  const w = [0, 0, 0];
  const costs: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const err = x.map((xi, i) => y[i]! - (w[0]! + w[1]! * xi[0]! + w[2]! * xi[1]!));
    costs.push(err.reduce((s, v) => s + v * v, 0) / 2);
    w[0]! += eta * err.reduce((s, v) => s + v, 0);
    w[1]! += eta * err.reduce((s, v, i) => s + v * x[i]![0]!, 0);
    w[2]! += eta * err.reduce((s, v, i) => s + v * x[i]![1]!, 0);
  }
  return { costs, w };
}

/** Adaline by SGD in the given per-epoch orders; the mean per-sample cost ½ (y − z)² per epoch. */
function plainAdalineSGD(x: number[][], y: number[], eta: number, orders: number[][]): { costs: number[]; w: number[] } {
  const w = [0, 0, 0];
  const costs = orders.map((order) => {
    let sum = 0;
    for (const i of order) {
      const err = y[i]! - (w[0]! + w[1]! * x[i]![0]! + w[2]! * x[i]![1]!);
      sum += (err * err) / 2;
      w[0]! += eta * err;
      w[1]! += eta * err * x[i]![0]!;
      w[2]! += eta * err * x[i]![1]!;
    }
    return sum / order.length;
  });
  return { costs, w };
}

describe('adaline', () => {
  type Run = { costs: number[]; weights: number[]; orders?: number[][]; misclassified: number };
  it('matches plain-JS Adaline (batch GD and SGD, raw and standardised) cost by cost', async () => {
    const { result, text } = await runExample<Record<string, Run>>(adaline);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 2]);
    const y = k.map((c) => (c === 0 ? -1 : 1));
    const xs = standardizeRows(x);
    for (const [key, data, eta, epochs] of [['gd_0.01', x, 0.01, 10], ['gd_0.0001', x, 0.0001, 10], ['gd_std', xs, 0.01, 15]] as const) {
      const ref = plainAdalineGD(data as number[][], y, eta, epochs);
      expect(result[key]!.costs).toBeAllClose(ref.costs, { rtol: 1e-9 });
      expect(result[key]!.weights).toBeAllClose(ref.w, { rtol: 1e-9, atol: 1e-12 });
    }
    // eta 0.01 on raw features diverges; eta 0.0001 decreases slowly; standardised converges.
    const raw = result['gd_0.01']!.costs;
    expect(raw[9]!).toBeGreaterThan(1e20);
    expect(result['gd_0.0001']!.costs[9]!).toBeLessThan(result['gd_0.0001']!.costs[0]!);
    expect(result.gd_std!.misclassified).toBe(0);
    expect(result.gd_std!.costs[0]).toBe(50); // ½ Σ 1² over 100 samples with zero weights
    for (const [key, data] of [['sgd_raw', x], ['sgd_std', xs]] as const) {
      const orders = result[key]!.orders!;
      expect(orders).toHaveLength(15);
      for (const o of orders) expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      const ref = plainAdalineSGD(data, y, 0.01, orders);
      expect(result[key]!.costs).toBeAllClose(ref.costs, { rtol: 1e-9 });
      expect(result[key]!.weights).toBeAllClose(ref.w, { rtol: 1e-9, atol: 1e-12 });
    }
    expect(text).toContain(`SSE ${result.gd_std!.costs[14]!.toPrecision(6)}`);
  });
});

describe('iris-neuron', () => {
  it('gives dL/dw0 on three rows equal to the chain rule written out, and matches plain-JS gradient descent', async () => {
    const { result, text } = await runExample<{
      dLdw0: number; gradient: number[]; biasGradient: number; losses: number[];
      after15: { weights: number[]; bias: number; predictions: number[] };
      after999: { weights: number[]; bias: number; predictions: number[] };
    }>(irisNeuron);
    const { x, k } = irisRows(IRIS, [0, 1], [0, 1, 2, 3]);

    // L = 1/(2N) Σ (a − y)², a = σ(w·x + b): ∂L/∂w_j = 1/N Σ (a − y) a (1 − a) x_j.
    const rows3 = x.slice(0, 3);
    const y3 = [0, 1, 0];
    const a3 = rows3.map((r) => sigmoid(r.reduce((s, v) => s + 0.1 * v, 0.1)));
    const grad = [0, 1, 2, 3].map((j) => rows3.reduce((s, r, i) => s + (a3[i]! - y3[i]!) * a3[i]! * (1 - a3[i]!) * r[j]!, 0) / 3);
    const gradB = rows3.reduce((s, _, i) => s + (a3[i]! - y3[i]!) * a3[i]! * (1 - a3[i]!), 0) / 3;
    expect(result.dLdw0).toBeCloseTo(grad[0]!, 14);
    expect(result.gradient).toBeAllClose(grad, { rtol: 1e-12 });
    expect(result.biasGradient).toBeCloseTo(gradB, 14);
    expect(text).toContain(`∂L/∂w0 = ${grad[0]!.toFixed(8)}`);

    // Full-batch gradient descent in plain JS on rows 0-39 and 50-89.
    const trainIdx = [...Array(40).keys(), ...Array.from({ length: 40 }, (_, i) => 50 + i)];
    const testIdx = [...Array.from({ length: 10 }, (_, i) => 40 + i), ...Array.from({ length: 10 }, (_, i) => 90 + i)];
    const w = [0.1, 0.1, 0.1, 0.1];
    let b = 0.1;
    const predictTest = () => testIdx.map((i) => sigmoid(x[i]!.reduce((s, v, j) => s + w[j]! * v, b)));
    const losses: number[] = [];
    let after15: number[] = [];
    let w15: number[] = [];
    for (let epoch = 1; epoch <= 999; epoch++) {
      const n = trainIdx.length;
      const a = trainIdx.map((i) => sigmoid(x[i]!.reduce((s, v, j) => s + w[j]! * v, b)));
      losses.push(a.reduce((s, ai, t) => s + (ai - k[trainIdx[t]!]!) ** 2, 0) / (2 * n));
      const delta = a.map((ai, t) => ((ai - k[trainIdx[t]!]!) * ai * (1 - ai)) / n);
      for (let j = 0; j < 4; j++) w[j]! -= 0.1 * delta.reduce((s, d, t) => s + d * x[trainIdx[t]!]![j]!, 0);
      b -= 0.1 * delta.reduce((s, d) => s + d, 0);
      if (epoch === 15) {
        after15 = predictTest();
        w15 = w.slice();
      }
    }
    expect(result.losses).toBeAllClose(losses, { rtol: 1e-9 });
    expect(result.after15.weights).toBeAllClose(w15, { rtol: 1e-9 });
    expect(result.after15.predictions).toBeAllClose(after15, { rtol: 1e-9 });
    expect(result.after999.predictions).toBeAllClose(predictTest(), { rtol: 1e-9 });
    expect(result.after999.bias).toBeCloseTo(b, 10);
    // After 999 epochs every test flower is on the right side of 0.5.
    result.after999.predictions.forEach((p, t) => expect(p >= 0.5 ? 1 : 0).toBe(k[testIdx[t]!]));
  });
});

describe('logistic-regression', () => {
  it('matches plain-JS vectorised logistic regression: cost per epoch, weights and accuracy', async () => {
    const { result, text } = await runExample<{ costs: number[]; weights: number[]; bias: number; accuracy: number; gradientCheck: number }>(logisticRegression);
    const { x: raw, k: y } = irisRows(IRIS, [1, 2], [0, 1, 2, 3]);
    const x = standardizeRows(raw);
    const n = x.length;
    const w = [0, 0, 0, 0];
    let b = 0;
    const costs: number[] = [];
    for (let e = 0; e < 1000; e++) {
      const a = x.map((r) => sigmoid(r.reduce((s, v, j) => s + v * w[j]!, b)));
      costs.push(-a.reduce((s, ai, i) => s + (y[i] ? Math.log(ai) : Math.log(1 - ai)), 0) / n);
      for (let j = 0; j < 4; j++) w[j]! -= (0.1 * a.reduce((s, ai, i) => s + (ai - y[i]!) * x[i]![j]!, 0)) / n;
      b -= (0.1 * a.reduce((s, ai, i) => s + ai - y[i]!, 0)) / n;
    }
    expect(costs[0]).toBeCloseTo(Math.LN2, 14);
    expect(result.costs).toBeAllClose(costs, { rtol: 1e-9 });
    expect(result.weights).toBeAllClose(w, { rtol: 1e-8 });
    expect(result.bias).toBeCloseTo(b, 9);
    const correct = x.filter((r, i) => (sigmoid(r.reduce((s, v, j) => s + v * w[j]!, b)) >= 0.5 ? 1 : 0) === y[i]).length;
    expect(result.accuracy).toBe(correct / n);
    expect(result.gradientCheck).toBeLessThan(1e-12);
    expect(text).toContain(`epoch 1000  cost ${costs[999]!.toFixed(6)}`);
  });
});

describe('xor', () => {
  it('matches a plain-JS 3-4-1 network trained from the same initial weights, and solves XOR', async () => {
    const { result, text } = await runExample<{ initial: { w1: number[][]; w2: number[][] }; sse: number[]; finalSse: number; predictions: number[] }>(xor);
    const X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
    const Y = [0, 1, 1, 0];
    const w1 = result.initial.w1.map((r) => r.slice());
    const w2 = result.initial.w2.map((r) => r[0]!);
    for (const v of [...w1.flat(), ...w2]) expect(v >= 0 && v < 1).toBe(true);
    const forward = () => {
      const h = X.map((x) => [0, 1, 2, 3].map((j) => sigmoid(x[0]! * w1[0]![j]! + x[1]! * w1[1]![j]! + x[2]! * w1[2]![j]!)));
      const o = h.map((hi) => sigmoid(hi.reduce((s, v, j) => s + v * w2[j]!, 0)));
      return { h, o };
    };
    const sse: number[] = [];
    for (let step = 0; step < 1500; step++) {
      const { h, o } = forward();
      sse.push(o.reduce((s, oi, i) => s + (Y[i]! - oi) ** 2, 0));
      // SSE = Σ (y − o)²: δo = 2 (o − y) o (1 − o); δh_j = δo w2_j h_j (1 − h_j).
      const dOut = o.map((oi, i) => 2 * (oi - Y[i]!) * oi * (1 - oi));
      const gW2 = [0, 1, 2, 3].map((j) => dOut.reduce((s, d, i) => s + d * h[i]![j]!, 0));
      const gW1 = [0, 1, 2].map((r) => [0, 1, 2, 3].map((j) => dOut.reduce((s, d, i) => s + d * w2[j]! * h[i]![j]! * (1 - h[i]![j]!) * X[i]![r]!, 0)));
      for (let j = 0; j < 4; j++) w2[j]! -= gW2[j]!;
      for (let r = 0; r < 3; r++) for (let j = 0; j < 4; j++) w1[r]![j]! -= gW1[r]![j]!;
    }
    expect(result.sse).toBeAllClose(sse, { rtol: 1e-8 });
    expect(result.predictions).toBeAllClose(forward().o, { rtol: 1e-8 });
    expect(result.predictions.map((p) => Math.round(p))).toEqual(Y);
    expect(result.finalSse).toBeLessThan(0.01);
    expect(text).toContain(`step 1500  SSE ${sse[1499]!.toFixed(6)}`);
  });
});

describe('backprop', () => {
  it('prints the worked example figures, equal to the chain rule written out by hand', async () => {
    const { result, text } = await runExample<{
      h1: number; h2: number; o1: number; o2: number; totalError: number;
      gradients: number[]; biasGradients: number[]; updatedWeights: number[]; graph: string;
    }>(backprop);
    const [i1, i2, t1, t2, b1, b2] = [0.05, 0.1, 0.01, 0.99, 0.35, 0.6];
    const [w1, w2, w3, w4, w5, w6, w7, w8] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
    const h1 = sigmoid(w1 * i1 + w2 * i2 + b1);
    const h2 = sigmoid(w3 * i1 + w4 * i2 + b1);
    const o1 = sigmoid(w5 * h1 + w6 * h2 + b2);
    const o2 = sigmoid(w7 * h1 + w8 * h2 + b2);
    const E = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2;
    // δ at the outputs: ∂E/∂net_o = (o − t) o (1 − o); at the hidden units: Σ_k δ_k w_kj h (1 − h).
    const d1 = (o1 - t1) * o1 * (1 - o1);
    const d2 = (o2 - t2) * o2 * (1 - o2);
    const dh1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1);
    const dh2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2);
    const grads = [dh1 * i1, dh1 * i2, dh2 * i1, dh2 * i2, d1 * h1, d1 * h2, d2 * h1, d2 * h2];
    const weights = [w1, w2, w3, w4, w5, w6, w7, w8];

    expect([result.h1, result.h2, result.o1, result.o2]).toBeAllClose([h1, h2, o1, o2], { rtol: 1e-14 });
    expect(result.totalError).toBeCloseTo(E, 14);
    expect(result.gradients).toBeAllClose(grads, { rtol: 1e-12 });
    expect(result.biasGradients).toBeAllClose([dh1 + dh2, d1 + d2], { rtol: 1e-12 });
    expect(result.updatedWeights).toBeAllClose(weights.map((w, k) => w - 0.5 * grads[k]!), { rtol: 1e-14 });
    // The published figures of the worked example.
    expect(result.totalError).toBeCloseTo(0.298371109, 9);
    expect(result.updatedWeights).toBeAllClose([0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.51130127, 0.561370121], { atol: 1e-8, rtol: 0 });
    // Printed: the forward values, every gradient, and the updated weights.
    expect(text).toContain(`E_total = ${E.toFixed(9)}`);
    grads.forEach((g, k) => expect(text).toContain(`dE/dw${k + 1} = ${g.toFixed(9)}`));
    weights.forEach((w, k) => expect(text).toContain(`w${k + 1}: ${w.toFixed(2)} -> ${(w - 0.5 * grads[k]!).toFixed(9)}`));
    // The graph names the leaves and shows the recorded ops.
    for (const s of ['E_total', 'SigmoidBackward', 'b1', 'hidden weights', 'output weights']) expect(result.graph).toContain(s);
  });
});

describe('deep-nn', () => {
  type Layers = Array<{ weight: number[][]; bias: number[] }>;
  type Parity = { sizes: number[]; params: number; accuracy: number; predictions: number[] };
  it('builds the 2-3-5-4-2-1 network, whose first cost and accuracy match a plain-JS forward pass; parity by two networks', async () => {
    const { result } = await runExample<{
      toy: { sizes: number[]; params: number; initial: Layers; x: number[][]; y: number[]; costs: number[]; accuracy: number; predictions: number[] };
      parity: { labels: number[]; deep: Parity; shallow: Parity };
    }>(deepNn, { quick: true });
    const { toy, parity } = result;
    const count = (sizes: number[]) => sizes.slice(1).reduce((s, n, l) => s + (sizes[l]! + 1) * n, 0);
    expect(toy.sizes).toEqual([2, 3, 5, 4, 2, 1]);
    expect(toy.params).toBe(count(toy.sizes));
    expect(toy.params).toBe(66);

    // Forward pass by hand: ReLU hidden layers, sigmoid output, binary cross-entropy.
    const layers = toy.initial;
    expect(layers.map((l) => l.weight.length)).toEqual([3, 5, 4, 2, 1]);
    const out = toy.x.map((x0) => {
      let a = x0;
      layers.forEach((l, i) => {
        const z = l.weight.map((row, j) => row.reduce((s, w, k) => s + w * a[k]!, l.bias[j]!));
        a = i < layers.length - 1 ? z.map((v) => Math.max(0, v)) : z.map(sigmoid);
      });
      return a[0]!;
    });
    const cost = -out.reduce((s, p, i) => s + (toy.y[i] ? Math.log(p) : Math.log(1 - p)), 0) / out.length;
    expect(toy.costs[0]).toBeCloseTo(cost, 5);
    expect(toy.accuracy).toBe(toy.predictions.filter((p, i) => p === toy.y[i]).length / toy.y.length);
    expect(toy.accuracy).toBeGreaterThan(0.85);

    // Parity labels by counting bits.
    const labels = Array.from({ length: 256 }, (_, k) => k.toString(2).split('').filter((c) => c === '1').length % 2);
    expect(parity.labels).toEqual(labels);
    for (const net of [parity.deep, parity.shallow]) {
      expect(net.params).toBe(count(net.sizes));
      expect(net.accuracy).toBe(net.predictions.filter((p, i) => p === labels[i]).length / 256);
    }
    expect(parity.deep.sizes.length).toBeGreaterThan(parity.shallow.sizes.length);
  });
});

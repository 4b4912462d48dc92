// Runs the second set of lecture examples (issue 21: gender-network, gradient-descent,
// activations, computational-graphs, iris-3class, initialization, lecture-misc) and checks their
// figures against values computed here independently: closed forms, the notes' published numbers,
// and plain-JS transcriptions (float64 loops, no tapegrad) started from the examples' initial weights.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadIris } from '@tapegrad/datasets';
import { summary } from '@tapegrad/nn';
import { main as genderNetwork } from '../src/gender-network.js';
import { main as gradientDescent } from '../src/gradient-descent.js';
import { main as activations } from '../src/activations.js';
import { main as computationalGraphs } from '../src/computational-graphs.js';
import { main as iris3class } from '../src/iris-3class.js';
import { main as initialization } from '../src/initialization.js';
import { main as lectureMisc, vgg16, vgg16Table } from '../src/lecture-misc.js';
import { EXAMPLES } from '../src/registry.js';
import { irisRows, runExample, sigmoid } from './helpers.js';

const NEW = ['gender-network', 'gradient-descent', 'activations', 'computational-graphs', 'iris-3class', 'initialization', 'lecture-misc'];

describe('registry (issue 21 examples)', () => {
  it('registers the seven new examples in lecture order, each with a description and a main', async () => {
    const names = Object.keys(EXAMPLES).filter((n) => NEW.includes(n));
    expect(names).toEqual(NEW);
    for (const name of NEW) {
      expect(EXAMPLES[name]!.description.length).toBeGreaterThan(10);
      expect(typeof (await EXAMPLES[name]!.load()).main).toBe('function');
    }
  });
});

describe('gender-network', () => {
  type Net = { w: number[][]; b: number[]; v: number[]; c: number };
  const DATA = [[-2, -1], [25, 6], [17, 4], [-15, -6]];
  const FEMALE = [1, 0, 0, 1];

  /** The notes' network in plain JS: h_j = σ(w_j·x + b_j), o = σ(v·h + c). */
  function feedforward(n: Net, x: number[]): { h: number[]; o: number } {
    const h = n.w.map((row, j) => sigmoid(row[0]! * x[0]! + row[1]! * x[1]! + n.b[j]!));
    return { h, o: sigmoid(n.v[0]! * h[0]! + n.v[1]! * h[1]! + n.c) };
  }

  it('follows a hand-written forward/backward SGD from the same initial weights, loss by loss', async () => {
    const { result, lines, out } = await runExample<{ initial: Net; losses: Array<{ epoch: number; loss: number }>; predictions: number[] }>(genderNetwork);
    const n: Net = structuredClone(result.initial);
    const losses: number[] = [];
    for (let epoch = 0; epoch < 1000; epoch++) {
      DATA.forEach((x, i) => {
        const { h, o } = feedforward(n, x);
        // d(y − o)²/do = −2(y − o); through the output sigmoid, then each hidden sigmoid.
        const dz = -2 * (FEMALE[i]! - o) * o * (1 - o);
        const dh = n.v.map((vj) => dz * vj);
        n.v = n.v.map((vj, j) => vj - 0.1 * dz * h[j]!);
        n.c -= 0.1 * dz;
        n.w = n.w.map((row, j) => row.map((wjk, k) => wjk - 0.1 * dh[j]! * h[j]! * (1 - h[j]!) * x[k]!));
        n.b = n.b.map((bj, j) => bj - 0.1 * dh[j]! * h[j]! * (1 - h[j]!));
      });
      if (epoch % 10 === 0) losses.push(DATA.reduce((s, x, i) => s + (FEMALE[i]! - feedforward(n, x).o) ** 2, 0) / 4);
    }
    expect(result.losses.map((l) => l.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => 10 * i));
    expect(result.losses.map((l) => l.loss)).toBeAllClose(losses, { rtol: 1e-9, atol: 1e-12 });
    losses.forEach((l, i) => expect(lines).toContain(`Epoch ${10 * i} loss: ${l.toFixed(3)}`));
    // Emily (128 lb, 63 in) and Frank (155 lb, 68 in), shifted by −135 and −66.
    const emily = feedforward(n, [-7, -3]).o;
    const frank = feedforward(n, [20, 2]).o;
    expect(result.predictions).toBeAllClose([emily, frank], { rtol: 1e-9 });
    expect(emily).toBeGreaterThan(0.9);
    expect(frank).toBeLessThan(0.1);
    expect(lines.some((l) => l.startsWith('  Emily') && l.includes(emily.toFixed(3)))).toBe(true);
    expect(existsSync(join(out, 'gender-network-loss.svg'))).toBe(true);
  });
});

describe('gradient-descent', () => {
  type Point = { x: number; y: number; f: number; grad: [number, number] };
  it("takes the notes' step (1, 1) -> (0.5, 0.5), f 2 -> 0.5, and follows (1 − 2η)^k for every rate", async () => {
    const { result, text, out } = await runExample<{ firstStep: Point; paths: Record<string, Point[]> }>(gradientDescent);
    expect(result.firstStep).toEqual({ x: 0.5, y: 0.5, f: 0.5, grad: [1, 1] });
    expect(text).toContain('(1, 1) − 0.25·(2, 2) = (0.5, 0.5), f = 0.5');
    for (const eta of [0.25, 0.02, 1.05]) {
      const path = result.paths[String(eta)]!;
      expect(path).toHaveLength(11);
      path.forEach((p, k) => {
        const r = (1 - 2 * eta) ** k; // each step multiplies the point by 1 − 2η
        expect([p.x, p.y, p.f]).toBeAllClose([r, r, 2 * r * r], { rtol: 1e-12 });
        expect(p.grad).toBeAllClose([2 * r, 2 * r], { rtol: 1e-12 });
      });
    }
    // Too small: still far from 0 after 10 steps; too large: f grows.
    expect(result.paths['0.02']![10]!.f).toBeGreaterThan(0.8);
    expect(result.paths['1.05']![10]!.f).toBeGreaterThan(result.paths['1.05']![0]!.f);
    expect(existsSync(join(out, 'gradient-descent-paths.svg'))).toBe(true);
  });
});

describe('activations', () => {
  type Row = { values: number[]; derivatives: number[] };
  it('gives values and autograd derivatives equal to the closed forms, and the softmax and its Jacobian', async () => {
    const { result, text, out } = await runExample<{ table: Record<string, Row>; softmax: number[]; jacobian: number[][] }>(activations);
    const xs = [-2, -1, 0, 1, 2];
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const expected: Record<string, [(x: number) => number, (x: number) => number]> = {
      sigmoid: [sig, (x) => sig(x) * (1 - sig(x))],
      tanh: [(x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), (x) => 4 / (Math.exp(x) + Math.exp(-x)) ** 2],
      ReLU: [(x) => (x > 0 ? x : 0), (x) => (x > 0 ? 1 : 0)],
      'leaky ReLU': [(x) => (x > 0 ? x : 0.01 * x), (x) => (x > 0 ? 1 : 0.01)],
      identity: [(x) => x, () => 1],
    };
    expect(Object.keys(result.table)).toEqual(Object.keys(expected));
    for (const [name, [f, df]] of Object.entries(expected)) {
      expect(result.table[name]!.values).toBeAllClose(xs.map(f), { rtol: 1e-12, atol: 1e-15 });
      expect(result.table[name]!.derivatives).toBeAllClose(xs.map(df), { rtol: 1e-12, atol: 1e-15 });
    }
    // σ(1) = e / (e + 1), σ'(0) = 1/4.
    expect(result.table.sigmoid!.values[3]).toBeCloseTo(Math.E / (Math.E + 1), 15);
    expect(result.table.sigmoid!.derivatives[2]).toBe(0.25);
    expect(text).toContain('0.7310585786');
    // softmax([2, 1, 0.1]) = [0.659, 0.242, 0.099], the textbook figures.
    const e = [Math.exp(2), Math.exp(1), Math.exp(0.1)];
    const sum = e[0]! + e[1]! + e[2]!;
    const s = e.map((v) => v / sum);
    expect(result.softmax).toBeAllClose(s, { rtol: 1e-12 });
    expect(result.softmax.map((v) => +v.toFixed(3))).toEqual([0.659, 0.242, 0.099]);
    expect(result.jacobian).toBeAllClose(s.map((si, i) => s.map((sj, j) => (i === j ? si - si * sj : -si * sj))), { rtol: 1e-10, atol: 1e-15 });
    for (const what of ['functions', 'derivatives']) expect(existsSync(join(out, `activations-${what}.svg`))).toBe(true);
  });
});

describe('computational-graphs', () => {
  type Node = { value: number; grad: number };
  it('gives J = 44 and its gradients 4, 8, 12, and the sigmoid gate 0.73 with the CS231n gradients, computed by hand', async () => {
    const { result, text, out } = await runExample<{ first: Record<string, Node>; second: Record<string, Node> }>(computationalGraphs);
    const [x, y, z] = [5, 3, 2];
    expect(result.first).toEqual({
      x: { value: x, grad: 4 }, y: { value: y, grad: 4 * z }, z: { value: z, grad: 4 * y },
      u: { value: y * z, grad: 4 }, v: { value: x + y * z, grad: 4 }, J: { value: 4 * (x + y * z), grad: 1 },
    });

    // The gate by hand: dot = w0 x0 + w1 x1 + w2, f = 1/(1 + e^−dot), df/ddot = f(1 − f).
    const [w0, w1, w2, x0, x1] = [2, -3, -3, -1, -2];
    const dot = w0 * x0 + w1 * x1 + w2;
    const f = 1 / (1 + Math.exp(-dot));
    const local = f * (1 - f);
    const h = 1 + Math.exp(-dot);
    const hand: Record<string, Node> = {
      w0: { value: w0, grad: x0 * local }, x0: { value: x0, grad: w0 * local },
      w1: { value: w1, grad: x1 * local }, x1: { value: x1, grad: w1 * local },
      w2: { value: w2, grad: local },
      'w0·x0': { value: w0 * x0, grad: local }, 'w1·x1': { value: w1 * x1, grad: local },
      sum: { value: w0 * x0 + w1 * x1, grad: local }, 'dot = sum + w2': { value: dot, grad: local },
      '*−1': { value: -dot, grad: -local },
      exp: { value: Math.exp(-dot), grad: -1 / (h * h) }, '+1': { value: h, grad: -1 / (h * h) },
      'f = 1/x': { value: f, grad: 1 },
    };
    expect(Object.keys(result.second)).toEqual(Object.keys(hand));
    for (const [name, node] of Object.entries(hand))
      expect([result.second[name]!.value, result.second[name]!.grad]).toBeAllClose([node.value, node.grad], { rtol: 1e-12, atol: 1e-15 });
    // The notes' rounded figures.
    expect(f.toFixed(2)).toBe('0.73');
    expect(local.toFixed(2)).toBe('0.20');
    expect(text).toContain('∂f/∂w = [-0.20, -0.39, 0.20], ∂f/∂x = [0.39, -0.59]');
    for (const what of ['j', 'sigmoid-gate']) expect(existsSync(join(out, `computational-graphs-${what}.svg`))).toBe(true);
  });
});

describe('iris-3class', () => {
  type Result = {
    initial: { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] };
    losses: number[]; trainAccuracy: number; testAccuracy: number; probabilities: number[][];
  };
  it('matches a plain-JS 4-4-3 sigmoid/softmax network trained on cross-entropy from the same start (quick: 100 epochs)', async () => {
    const { result, text } = await runExample<Result>(iris3class, { quick: true });
    const { x, k } = irisRows(loadIris().features.toArray() as number[][], [0, 1, 2], [0, 1, 2, 3]);
    const test = Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 5 === 4);
    const train = Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 5 !== 4);
    const n = train.length;
    const mean = [0, 1, 2, 3].map((j) => train.reduce((s, i) => s + x[i]![j]!, 0) / n);
    const std = [0, 1, 2, 3].map((j) => Math.sqrt(train.reduce((s, i) => s + (x[i]![j]! - mean[j]!) ** 2, 0) / n));
    const xs = x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
    let { w1, b1, w2, b2 } = structuredClone(result.initial);
    const forward = (r: number[]) => {
      const hid = w1.map((row, j) => sigmoid(row.reduce((s, w, q) => s + w * r[q]!, b1[j]!)));
      const logits = w2.map((row, c) => row.reduce((s, w, j) => s + w * hid[j]!, b2[c]!));
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const total = e.reduce((a, b) => a + b, 0);
      return { hid, p: e.map((v) => v / total) };
    };
    const losses: number[] = [];
    for (let epoch = 0; epoch < 100; epoch++) {
      const gw1 = w1.map((r) => r.map(() => 0)), gb1 = b1.map(() => 0), gw2 = w2.map((r) => r.map(() => 0)), gb2 = b2.map(() => 0);
      let loss = 0;
      for (const i of train) {
        const { hid, p } = forward(xs[i]!);
        loss -= Math.log(p[k[i]!]!) / n;
        // ∂L/∂logit_c = (p_c − [c = y]) / N, then back through W2 and the hidden sigmoids.
        const dl = p.map((pc, c) => (pc - (c === k[i] ? 1 : 0)) / n);
        const dz = hid.map((hj, j) => dl.reduce((s, d, c) => s + d * w2[c]![j]!, 0) * hj * (1 - hj));
        dl.forEach((d, c) => { gb2[c]! += d; hid.forEach((hj, j) => { gw2[c]![j]! += d * hj; }); });
        dz.forEach((d, j) => { gb1[j]! += d; xs[i]!.forEach((v, q) => { gw1[j]![q]! += d * v; }); });
      }
      losses.push(loss);
      w1 = w1.map((r, j) => r.map((w, q) => w - 0.5 * gw1[j]![q]!));
      b1 = b1.map((b, j) => b - 0.5 * gb1[j]!);
      w2 = w2.map((r, c) => r.map((w, j) => w - 0.5 * gw2[c]![j]!));
      b2 = b2.map((b, c) => b - 0.5 * gb2[c]!);
    }
    expect(result.losses).toBeAllClose(losses, { rtol: 1e-9 });
    const acc = (rows: number[]) => rows.filter((i) => { const { p } = forward(xs[i]!); return p.indexOf(Math.max(...p)) === k[i]; }).length / rows.length;
    expect(result.trainAccuracy).toBeCloseTo(acc(train), 12);
    expect(result.testAccuracy).toBeCloseTo(acc(test), 12);
    expect(result.probabilities).toBeAllClose(test.map((i) => forward(xs[i]!).p), { rtol: 1e-9, atol: 1e-12 });
    expect(text).toContain(`test accuracy ${acc(test).toFixed(4)}`);
  });
});

describe('initialization', () => {
  type Run = { losses: number[]; differences: Record<number, number[]>; finalLoss: number };
  type Result = { zero: Run; random: Run; initial: { w1: number[][]; b1: number[]; w2: number[]; b2: number } };
  it('keeps zero-initialised hidden units identical, and the random start matches a plain-JS transcription (quick: 300 steps)', async () => {
    const { result, text } = await runExample<Result>(initialization, { quick: true });
    const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]];
    const Y = [0, 1, 1, 0, 0];
    for (const [step, d] of Object.entries(result.zero.differences)) {
      expect(d, `step ${step}`).toEqual([0, 0, 0]);
    }
    expect(Object.keys(result.zero.differences).map(Number)).toEqual([0, 1, 10, 100, 300]);
    // The zero start does move (the labels are unbalanced), it only cannot break the symmetry.
    expect(result.zero.losses[299]).toBeLessThan(result.zero.losses[0]!);
    expect(result.zero.finalLoss).toBeGreaterThan(0.2);

    // Plain-JS full-batch gradient descent on the MSE from the random start.
    let { w1, b1, w2, b2 } = structuredClone(result.initial);
    const losses: number[] = [];
    for (let step = 0; step < 300; step++) {
      const gw1 = w1.map((r) => r.map(() => 0)), gb1 = b1.map(() => 0), gw2 = w2.map(() => 0);
      let gb2 = 0;
      let loss = 0;
      X.forEach((x, i) => {
        const h = w1.map((row, j) => sigmoid(row[0]! * x[0]! + row[1]! * x[1]! + b1[j]!));
        const o = sigmoid(h.reduce((s, hj, j) => s + hj * w2[j]!, b2));
        loss += (Y[i]! - o) ** 2 / X.length;
        const dz = (-2 * (Y[i]! - o) * o * (1 - o)) / X.length;
        gb2 += dz;
        h.forEach((hj, j) => {
          gw2[j]! += dz * hj;
          const dzh = dz * w2[j]! * hj * (1 - hj);
          gb1[j]! += dzh;
          gw1[j]![0]! += dzh * x[0]!;
          gw1[j]![1]! += dzh * x[1]!;
        });
      });
      losses.push(loss);
      w1 = w1.map((r, j) => r.map((w, q) => w - 2 * gw1[j]![q]!));
      b1 = b1.map((b, j) => b - 2 * gb1[j]!);
      w2 = w2.map((w, j) => w - 2 * gw2[j]!);
      b2 -= 2 * gb2;
    }
    expect(result.random.losses).toBeAllClose(losses, { rtol: 1e-9 });
    const rows = w1.map((r, j) => [...r, b1[j]!]);
    const pairs = [[0, 1], [0, 2], [1, 2]].map(([a, b]) => Math.max(...rows[a]!.map((v, q) => Math.abs(v - rows[b]![q]!))));
    expect(result.random.differences[300]).toBeAllClose(pairs, { rtol: 1e-9 });
    expect(Math.min(...pairs)).toBeGreaterThan(0.1);
    expect(text).toContain('pairwise max |difference| [0.000000, 0.000000, 0.000000]');
  });
});

describe('lecture-misc', () => {
  type Result = { mse: number; weights: number[] | number; biases: number; smallTotal: number; encoded: number[][]; irisEncoded: number[][]; vggTable: Array<{ name: string; params: number; outputShape: number[] }>; vggTotal: number };
  it('prints MSE 0.5, 26 parameters for 3-4-2, the one-hot rows, and VGG16 with 138,357,544 parameters (quick: from the layer shapes)', async () => {
    const { result, text } = await runExample<Result>(lectureMisc, { quick: true });
    expect(result.mse).toBe(((1 - 0) ** 2 + 0 + 0 + (1 - 0) ** 2) / 4);
    expect(result.mse).toBe(0.5);
    expect([result.weights, result.biases, result.smallTotal]).toEqual([3 * 4 + 4 * 2, 4 + 2, 26]);
    expect(result.encoded).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    expect(result.irisEncoded).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    // Keras' VGG16().summary(), layer by layer (conv: 3·3·C_in·C_out + C_out; dense: in·out + out).
    const keras = [
      1792, 36928, 0, 73856, 147584, 0, 295168, 590080, 590080, 0,
      1180160, 2359808, 2359808, 0, 2359808, 2359808, 2359808, 0, 0, 102764544, 16781312, 4097000,
    ];
    expect(result.vggTable.map((r) => r.params)).toEqual(keras);
    expect(result.vggTable.at(-4)!.outputShape).toEqual([25088]);
    expect(result.vggTotal).toBe(138357544);
    expect(text).toContain('Total params: 138,357,544');
  });

  it("builds VGG16's structure with nn layers whose summary() agrees with the layer-shape table (narrow, 32×32)", () => {
    const model = vgg16({ size: 32, widthDivisor: 16 });
    const s = summary(model, [1, 3, 32, 32]);
    const rows = s.rows.filter((r) => r.type !== 'ReLU');
    const table = vgg16Table(32, 3, 16);
    expect(rows.map((r) => [r.name, r.params, r.outputShape])).toEqual(table.map((r) => [r.name, r.params, [1, ...r.outputShape]]));
    expect(s.totals.total).toBe(table.reduce((n, r) => n + r.params, 0));
  });
});

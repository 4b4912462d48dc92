import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, ValueError, tensor } from '@tapegrad/core';
import { TensorDataset, loadIris, randomSplit, trainTestSplit } from '@tapegrad/datasets';

const ids = (t: Tensor) => Array.from(t.data);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function countBy(xs: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

describe('randomSplit', () => {
  const ds = new TensorDataset(tensor(Int32Array.from(range(11)), { dtype: 'int32' }));

  it('splits by counts into disjoint subsets covering the data set', () => {
    const parts = randomSplit(ds, [6, 5], { generator: new Generator(1) });
    expect(parts.map((p) => p.length)).toEqual([6, 5]);
    expect(sorted([...parts[0]!.indices, ...parts[1]!.indices])).toEqual(range(11));
  });

  it('splits by fractions, handing out the remainder round-robin', () => {
    // floor(11 * [0.5, 0.3, 0.2]) = [5, 3, 2]; the one left over goes to the first part.
    const parts = randomSplit(ds, [0.5, 0.3, 0.2], { generator: new Generator(2) });
    expect(parts.map((p) => p.length)).toEqual([6, 3, 2]);
    // floor(11 * 0.25) * 4 = 8; three left over go to parts 0, 1, 2.
    expect(randomSplit(ds, [0.25, 0.25, 0.25, 0.25]).map((p) => p.length)).toEqual([3, 3, 3, 2]);
  });

  it('is reproducible for a seed', () => {
    const a = randomSplit(ds, [0.7, 0.3], { generator: new Generator(5) });
    const b = randomSplit(ds, [0.7, 0.3], { generator: new Generator(5) });
    const c = randomSplit(ds, [0.7, 0.3], { generator: new Generator(6) });
    expect(Array.from(a[0]!.indices)).toEqual(Array.from(b[0]!.indices));
    expect(Array.from(a[0]!.indices)).not.toEqual(Array.from(c[0]!.indices));
  });

  it('throws when the counts do not add up to the length', () => {
    expect(() => randomSplit(ds, [5, 5])).toThrow(ValueError);
    expect(() => randomSplit(ds, [5, 5])).toThrow(/randomSplit: lengths \[5, 5\] sum to 10, but the dataset has 11 samples/);
    expect(() => randomSplit(ds, [0.6, 0.6])).toThrow(/randomSplit/);
  });
});

describe('trainTestSplit', () => {
  // x[i] = [i, -i], y[i] = i % 3: rows can be traced back.
  const n = 40;
  const x = tensor(range(n).map((i) => [i, -i]));
  const y = tensor(range(n).map((i) => i % 3), { dtype: 'int32' });

  it('returns ceil(testSize * N) test rows, disjoint from the training rows, with x and y aligned', () => {
    const s = trainTestSplit(x, y, { testSize: 0.25, seed: 0 });
    expect(s.xTrain.shape).toEqual([30, 2]);
    expect(s.xTest.shape).toEqual([10, 2]);
    expect(s.yTest.shape).toEqual([10]);
    const trainRows = ids(s.xTrain).filter((_, k) => k % 2 === 0);
    const testRows = ids(s.xTest).filter((_, k) => k % 2 === 0);
    expect(sorted([...trainRows, ...testRows])).toEqual(range(n));
    expect(ids(s.yTrain)).toEqual(trainRows.map((i) => i % 3));
    expect(ids(s.yTest)).toEqual(testRows.map((i) => i % 3));
    expect(trainTestSplit(x, y, { testSize: 0.3 }).xTest.shape).toEqual([12, 2]);
    expect(trainTestSplit(x, y, { testSize: 7 }).xTest.shape).toEqual([7, 2]);
  });

  it('is reproducible for a seed and keeps the order without shuffle', () => {
    const a = trainTestSplit(x, y, { seed: 3 });
    const b = trainTestSplit(x, y, { seed: 3 });
    const c = trainTestSplit(x, y, { seed: 4 });
    expect(ids(a.xTest)).toEqual(ids(b.xTest));
    expect(ids(a.xTest)).not.toEqual(ids(c.xTest));
    const plain = trainTestSplit(x, y, { shuffle: false });
    expect(ids(plain.xTest).filter((_, k) => k % 2 === 0)).toEqual(range(10).map((i) => 30 + i));
  });

  it('keeps the class proportions with stratify', () => {
    // 60 / 30 / 10 samples of classes 0 / 1 / 2, shuffled together.
    const labels = [...Array(60).fill(0), ...Array(30).fill(1), ...Array(10).fill(2)];
    const g = new Generator(11);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(g.random() * (i + 1));
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
    const yy = tensor(labels, { dtype: 'int32' });
    const xx = tensor(range(100).map((i) => [i]));
    for (const seed of [0, 1, 2]) {
      const s = trainTestSplit(xx, yy, { testSize: 0.2, stratify: true, seed });
      expect(countBy(ids(s.yTest))).toEqual({ 0: 12, 1: 6, 2: 2 });
      expect(countBy(ids(s.yTrain))).toEqual({ 0: 48, 1: 24, 2: 8 });
      // Rows still carry their own label.
      ids(s.xTest).forEach((row, k) => expect(labels[row]).toBe(s.yTest.data[k]));
    }
    // Without stratification the proportions drift for some seed.
    const drift = [0, 1, 2, 3, 4, 5].some((seed) => countBy(ids(trainTestSplit(xx, yy, { testSize: 0.2, seed }).yTest))[2] !== 2);
    expect(drift).toBe(true);
  });

  it('stratifies Iris into equal class counts', () => {
    const { features, labels } = loadIris();
    const s = trainTestSplit(features, labels, { testSize: 0.2, stratify: labels, seed: 7 });
    expect(countBy(ids(s.yTest))).toEqual({ 0: 10, 1: 10, 2: 10 });
    expect(countBy(ids(s.yTrain))).toEqual({ 0: 40, 1: 40, 2: 40 });
  });

  it('throws for mismatched lengths and impossible sizes', () => {
    expect(() => trainTestSplit(x, tensor([1, 2]))).toThrow(ShapeError);
    expect(() => trainTestSplit(x, tensor([1, 2]))).toThrow(/trainTestSplit: .*\[40,2\] and \[2\]/);
    expect(() => trainTestSplit(x, y, { testSize: 40 })).toThrow(/no training samples/);
    expect(() => trainTestSplit(x, y, { testSize: 0 })).toThrow(ValueError);
    expect(() => trainTestSplit(x, y, { stratify: true, shuffle: false })).toThrow(/stratify requires shuffle/);
  });
});

import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, randn, tensor, zeros } from '@tapegrad/core';
import { MinMaxScaler, Standardizer, flatten, minMaxScale, oneHot, scaleBytes, standardize } from '@tapegrad/datasets';

/** Column means and population stds by plain loops (the reference). */
function columnStats(rows: number[][]): { mean: number[]; std: number[] } {
  const n = rows.length;
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n));
  return { mean, std };
}

describe('Standardizer', () => {
  const g = new Generator(4);
  const train = randn([20, 3], { generator: g, dtype: 'float64' }).toArray() as number[][];
  const test = randn([5, 3], { generator: g, dtype: 'float64' }).toArray() as number[][];
  for (const r of train) (r[0]! *= 10), (r[2]! += 5);

  it('fits the per-feature mean and population std on the training data and applies them to test data', () => {
    const { mean, std } = columnStats(train);
    const s = new Standardizer().fit(tensor(train, { dtype: 'float64' }));
    expect(s.mean!).toBeAllClose(mean, { rtol: 1e-12 });
    expect(s.std!).toBeAllClose(std, { rtol: 1e-12 });
    const out = s.transform(tensor(test, { dtype: 'float64' }));
    expect(out.dtype).toBe('float64');
    expect(out).toBeAllClose(test.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!)), { rtol: 1e-12 });
    // The training data itself gets mean 0 and std 1 per feature.
    const z = columnStats(s.transform(tensor(train, { dtype: 'float64' })).toArray() as number[][]);
    expect(z.mean).toBeAllClose([0, 0, 0], { atol: 1e-12 });
    expect(z.std).toBeAllClose([1, 1, 1], { rtol: 1e-12 });
    expect(s.inverseTransform(out)).toBeAllClose(test, { rtol: 1e-12 });
  });

  it('maps a constant feature to 0 instead of dividing by 0', () => {
    const z = standardize(tensor([[1, 7], [3, 7], [5, 7]]));
    expect(z).toBeAllClose([[-Math.sqrt(1.5), 0], [0, 0], [Math.sqrt(1.5), 0]], { rtol: 1e-6 });
    expect(z.dtype).toBe('float32');
  });

  it('throws before fit and for a different feature shape', () => {
    expect(() => new Standardizer().transform(tensor([[1, 2]]))).toThrow(/Standardizer.transform: call fit\(\) first/);
    const s = new Standardizer().fit(tensor([[1, 2], [3, 4]]));
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow(/\[2\].*\[1,3\]/);
  });
});

describe('minMaxScale', () => {
  it('rescales each feature to [0, 1] (or a given range) with the fitted min and max', () => {
    expect(minMaxScale(tensor([[0, 5, 2], [10, 15, 2], [5, 10, 2]]))).toBeAllClose([[0, 0, 0], [1, 1, 0], [0.5, 0.5, 0]]);
    const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit(tensor([[0], [4]]));
    expect(s.transform(tensor([[2], [6]]))).toBeAllClose([[0], [2]]);
    expect(s.inverseTransform(tensor([[0], [2]]))).toBeAllClose([[2], [6]]);
    expect(s.dataMin!).toBeAllClose([0]);
    expect(s.dataMax!).toBeAllClose([4]);
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(ValueError);
  });
});

describe('oneHot', () => {
  it('sets a single 1 per row at the label', () => {
    const out = oneHot(tensor([0, 2, 1, 2], { dtype: 'int32' }), 4);
    expect(out.shape).toEqual([4, 4]);
    expect(out.dtype).toBe('float32');
    expect(out).toBeAllClose([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0]]);
    expect(oneHot(tensor([1, 0], { dtype: 'int32' })).shape).toEqual([2, 2]);
  });

  it('throws for a label out of range, naming it', () => {
    expect(() => oneHot(tensor([0, 3], { dtype: 'int32' }), 3)).toThrow(/oneHot: label 3 at flat index 1 .*\[0, 3\)/);
    expect(() => oneHot(tensor([-1], { dtype: 'int32' }), 3)).toThrow(ValueError);
  });
});

describe('flatten and scaleBytes', () => {
  it('flattens each sample to a vector', () => {
    expect(flatten(zeros([8, 1, 28, 28])).shape).toEqual([8, 784]);
    const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(flatten(x)).toBeAllClose([[1, 2, 3, 4], [5, 6, 7, 8]]);
  });

  it('scales bytes to [0, 1] as float32', () => {
    const out = scaleBytes(new Uint8Array([0, 51, 255, 128]), [2, 2]);
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual([2, 2]);
    expect(out).toBeAllClose([[0, 0.2], [1, 128 / 255]], { rtol: 1e-7 });
    expect(scaleBytes(tensor([255, 0], { dtype: 'int32' }))).toBeAllClose([1, 0]);
    expect(() => scaleBytes(tensor([256], { dtype: 'int32' }))).toThrow(/scaleBytes: value 256/);
    expect(() => scaleBytes(new Uint8Array(3), [2, 2])).toThrow(/3 bytes do not fill shape \[2,2\]/);
  });
});

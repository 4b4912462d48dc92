import { describe, expect, it } from 'vitest';
import { ValueError } from '@tapegrad/core';
import { loadIris } from '@tapegrad/datasets';

/** Per-class column means by plain loops. */
function classMeans(x: Float32Array, y: Int32Array, d: number, k: number): number[][] {
  const sums = Array.from({ length: k }, () => new Array(d).fill(0));
  const counts = new Array(k).fill(0);
  for (let i = 0; i < y.length; i++) {
    counts[y[i]!]++;
    for (let j = 0; j < d; j++) sums[y[i]!]![j] += x[i * d + j]!;
  }
  return sums.map((s, c) => s.map((v: number) => v / counts[c]));
}

describe('loadIris', () => {
  it('has 150 rows of 4 features, 50 per class, in the usual order', () => {
    const { features, labels, classNames, featureNames } = loadIris();
    expect(features.shape).toEqual([150, 4]);
    expect(features.dtype).toBe('float32');
    expect(labels.shape).toEqual([150]);
    expect(labels.dtype).toBe('int32');
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
    const y = Array.from(labels.data);
    expect(y).toEqual([...Array(50).fill(0), ...Array(50).fill(1), ...Array(50).fill(2)]);
    expect((features.toArray() as number[][])[0]).toBeAllClose([5.1, 3.5, 1.4, 0.2]);
    expect((features.toArray() as number[][])[149]).toBeAllClose([5.9, 3.0, 5.1, 1.8]);
  });

  it('matches the known per-class feature means (scikit-learn / Fisher values)', () => {
    const { features, labels } = loadIris();
    const means = classMeans(features.data as Float32Array, labels.data as Int32Array, 4, 3);
    expect(means).toBeAllClose(
      [
        [5.006, 3.428, 1.462, 0.246],
        [5.936, 2.77, 4.26, 1.326],
        [6.588, 2.974, 5.552, 2.026],
      ],
      { atol: 1e-3, rtol: 0 },
    );
  });

  it('keeps the two errata rows corrected as in scikit-learn (rows 35 and 38)', () => {
    const x = loadIris().features.toArray() as number[][];
    expect(x[34]).toBeAllClose([4.9, 3.1, 1.5, 0.2]);
    expect(x[37]).toBeAllClose([4.9, 3.6, 1.4, 0.1]);
  });

  it('selects the lecture subset: setosa vs. versicolor with sepal length and petal length', () => {
    const full = loadIris().features.toArray() as number[][];
    const { features, labels, classNames, featureNames } = loadIris({
      classes: ['setosa', 'versicolor'],
      features: ['sepal length', 'petal length'],
    });
    expect(features.shape).toEqual([100, 2]);
    expect(classNames).toEqual(['setosa', 'versicolor']);
    expect(featureNames).toEqual(['sepal length (cm)', 'petal length (cm)']);
    expect(Array.from(labels.data)).toEqual([...Array(50).fill(0), ...Array(50).fill(1)]);
    expect(features).toBeAllClose(full.slice(0, 100).map((r) => [r[0]!, r[2]!]));
  });

  it('renumbers classes in the order given and accepts indices and other spellings', () => {
    const { labels, classNames, features } = loadIris({ classes: ['Iris-virginica', 0], features: ['petalWidth', 1] });
    expect(classNames).toEqual(['virginica', 'setosa']);
    expect(Array.from(labels.data)).toEqual([...Array(50).fill(1), ...Array(50).fill(0)]);
    expect(features.shape).toEqual([100, 2]);
    expect((features.toArray() as number[][])[0]).toBeAllClose([0.2, 3.5]);
  });

  it('throws for an unknown class or feature', () => {
    expect(() => loadIris({ classes: ['rose'] })).toThrow(ValueError);
    expect(() => loadIris({ classes: ['rose'] })).toThrow(/loadIris: unknown class "rose"/);
    expect(() => loadIris({ features: [4] })).toThrow(/loadIris: unknown feature 4/);
    expect(() => loadIris({ features: [0, 'sepal_length'] })).toThrow(/listed twice/);
  });
});

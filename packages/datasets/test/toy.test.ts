import { describe, expect, it } from 'vitest';
import { Generator, ValueError, type Tensor } from '@tapegrad/core';
import { blobs, circles, linearlySeparable, moons, spirals, xor, type ToyData, type ToyOptions } from '@tapegrad/datasets';

const points = (x: Tensor) => x.toArray() as number[][];
const classes = (y: Tensor) => [...new Set(Array.from(y.data))].sort();
const count = (y: Tensor, c: number) => Array.from(y.data).filter((v) => v === c).length;

const sets: [string, (o: ToyOptions) => ToyData, number][] = [
  ['xor', (o) => xor({ n: 40, noise: 0.1, ...o }), 2],
  ['moons', moons, 2],
  ['circles', circles, 2],
  ['spirals', (o) => spirals({ classes: 3, ...o }), 3],
  ['blobs', blobs, 3],
  ['linearlySeparable', linearlySeparable, 2],
];

describe.each(sets)('%s', (_name, make, k) => {
  it('returns x [N, 2] float32 and y [N] int32 with the expected classes', () => {
    const { x, y } = make({ n: 90, seed: 1 });
    expect(x.shape).toEqual([90, 2]);
    expect(x.dtype).toBe('float32');
    expect(y.shape).toEqual([90]);
    expect(y.dtype).toBe('int32');
    expect(classes(y)).toEqual([...Array(k).keys()]);
    expect(Array.from(x.data).every(Number.isFinite)).toBe(true);
  });

  it('is deterministic for a seed or generator and differs for another seed', () => {
    const a = make({ n: 30, seed: 5 });
    const b = make({ n: 30, seed: 5 });
    const c = make({ n: 30, seed: 6 });
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    expect(Array.from(a.x.data)).not.toEqual(Array.from(c.x.data));
    const g = make({ n: 30, generator: new Generator(5) });
    expect(Array.from(g.x.data)).toEqual(Array.from(a.x.data));
  });
});

describe('toy set geometry', () => {
  it('xor() is the truth table', () => {
    const { x, y } = xor();
    expect(points(x)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(Array.from(y.data)).toEqual([0, 1, 1, 0]);
  });

  it('moons without noise lie on the two half circles', () => {
    const { x, y } = moons({ n: 21, noise: 0 });
    expect(count(y, 0)).toBe(10);
    points(x).forEach(([a, b], i) => {
      const r = y.data[i] === 0 ? Math.hypot(a!, b!) : Math.hypot(a! - 1, b! - 0.5);
      expect(r).toBeCloseTo(1, 5);
      if (y.data[i] === 0) expect(b!).toBeGreaterThanOrEqual(-1e-6);
      else expect(b!).toBeLessThanOrEqual(0.5 + 1e-6);
    });
  });

  it('circles without noise have radii 1 and factor', () => {
    const { x, y } = circles({ n: 40, noise: 0, factor: 0.3 });
    points(x).forEach(([a, b], i) => expect(Math.hypot(a!, b!)).toBeCloseTo(y.data[i] === 0 ? 1 : 0.3, 5));
  });

  it('spirals spread the classes evenly and stay within the unit disc', () => {
    const { x, y } = spirals({ n: 100, classes: 3 });
    expect([0, 1, 2].map((c) => count(y, c))).toEqual([34, 33, 33]);
    points(x).forEach(([a, b]) => expect(Math.hypot(a!, b!)).toBeLessThanOrEqual(1 + 1e-6));
  });

  it('blobs scatter around the given centers with the given spread', () => {
    const centers = [[0, 0], [6, -4]] as const;
    const { x, y } = blobs({ n: 2000, centers, noise: 0.5, seed: 3 });
    const xs = points(x);
    for (const c of [0, 1]) {
      const mine = xs.filter((_, i) => y.data[i] === c);
      expect(mine.length).toBe(1000);
      const mean = [0, 1].map((j) => mine.reduce((s, p) => s + p[j]!, 0) / mine.length);
      expect(mean).toBeAllClose(centers[c]!, { atol: 0.06 });
      const sd = Math.sqrt(mine.reduce((s, p) => s + (p[0]! - mean[0]!) ** 2, 0) / mine.length);
      expect(sd).toBeGreaterThan(0.45);
      expect(sd).toBeLessThan(0.55);
    }
  });

  it('linearlySeparable points are on the side of the line given by their class, outside the margin', () => {
    const { x, y, weight, bias } = linearlySeparable({ n: 200, margin: 0.1, seed: 9 });
    points(x).forEach(([a, b], i) => {
      const s = weight[0] * a! + weight[1] * b! + bias;
      expect(Math.abs(s)).toBeGreaterThan(0.1 - 1e-6);
      expect(s > 0 ? 1 : 0).toBe(y.data[i]);
    });
  });

  it('rejects bad options', () => {
    expect(() => moons({ n: 0 })).toThrow(ValueError);
    expect(() => moons({ n: 0 })).toThrow(/moons: n must be a positive integer, got 0/);
    expect(() => circles({ factor: 1.5 })).toThrow(/circles: factor must be in \(0, 1\)/);
    expect(() => spirals({ classes: 1 })).toThrow(/spirals: classes/);
    expect(() => blobs({ noise: -1 })).toThrow(/blobs: noise must be >= 0/);
  });
});

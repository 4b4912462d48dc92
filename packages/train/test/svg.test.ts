import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, Tensor, ValueError, fmtShape, tensor } from '@tapegrad/core';
import { decisionRegions, escapeXml, graphSvg, graphText, imageGrid, lineChart, niceTicks, saveSvg } from '@tapegrad/train';
import { findAll, parseXml, texts, type XmlElement } from './xml.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fmt = (s: number[]) => fmtShape(s);
const int = (v: number[]) => tensor(v, { dtype: 'int32' });
const byClass = (root: XmlElement, cls: string) =>
  findAll(root, 'g').filter((g) => (g.attrs.class ?? '').split(' ').includes(cls));

describe('escapeXml', () => {
  it('escapes the five XML special characters and drops control characters', () => {
    expect(escapeXml(`a<b & "c" 'd'>\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});

describe('niceTicks', () => {
  it('widens the domain to multiples of a 1-2-5 step', () => {
    expect(niceTicks(0.13, 0.97, 5)).toEqual({ min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceTicks(-3, 12, 3).ticks).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(2, 2).ticks.length).toBeGreaterThan(1);
  });
});

describe('lineChart', () => {
  const series = [
    { name: 'train', values: [1.2, 0.7, 0.5, 0.4] },
    { name: 'val <&> "x"', values: [1.3, 0.9, NaN, 0.8] },
  ];

  it('is well-formed SVG with one path per series, a legend, a title and labelled axes', () => {
    const svg = lineChart(series, { title: 'loss & accuracy', yLabel: 'loss' });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const paths = byClass(root, 'series').map((g) => findAll(g, 'path'));
    expect(paths.map((p) => p.length)).toEqual([1, 1]);
    const t = texts(root);
    expect(t).toContain('loss & accuracy');
    expect(t).toContain('train');
    expect(t).toContain('val <&> "x"');
    expect(t).toContain('epoch');
    expect(t).toContain('loss');
    // x ticks are the epochs 1..4; y ticks cover 0.4..1.3
    for (const e of ['1', '2', '3', '4']) expect(t).toContain(e);
    const yTicks = byClass(root, 'axes').flatMap((g) => findAll(g, 'text')).filter((e) => e.attrs['text-anchor'] === 'end').map((e) => Number(e.text));
    expect(Math.min(...yTicks)).toBeLessThanOrEqual(0.4);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(1.3);
  });

  it('breaks a line at a missing value and maps values to decreasing y', () => {
    const root = parseXml(lineChart(series));
    const [train, val] = byClass(root, 'series').map((g) => findAll(g, 'path')[0]!.attrs.d!);
    expect(val!.match(/M/g)).toHaveLength(2);
    expect(train!.match(/M/g)).toHaveLength(1);
    const ys = [...train!.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => Number(m[2]));
    expect(ys).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!); // smaller value, lower on screen
  });

  it('gives the same string for the same input', () => {
    expect(lineChart(series, { title: 't' })).toBe(lineChart(series, { title: 't' }));
  });

  it('uses decades as ticks on a log axis and skips non-positive values', () => {
    const root = parseXml(lineChart([{ name: 'sse', values: [10, 1, 0.1, 0, 0.01] }], { logY: true }));
    const t = texts(root);
    for (const v of ['0.01', '0.1', '1', '10']) expect(t).toContain(v);
    expect(findAll(byClass(root, 'series')[0]!, 'path')[0]!.attrs.d!.match(/M/g)).toHaveLength(2);
  });

  it('moves the legend to a corner free of points', () => {
    const legendY = (values: number[]) => {
      const root = parseXml(lineChart([{ name: 'acc', values }], { height: 400 }));
      return Number(findAll(byClass(root, 'legend')[0]!, 'rect')[0]!.attrs.y);
    };
    expect(legendY([1, 0.5, 0.3, 0.2, 0.1])).toBeLessThan(100); // falling curve: top right is free
    expect(legendY([0.1, 0.5, 0.8, 0.9, 1])).toBeGreaterThan(200); // rising curve: bottom right
  });

  it('takes explicit x values', () => {
    const root = parseXml(lineChart([{ name: 'a', values: [3, 2, 1], x: [0, 50, 100] }], { xLabel: 'step' }));
    expect(texts(root)).toContain('step');
    expect(texts(root)).toContain('100');
  });

  it('throws for no series, mismatched x, and a bad size', () => {
    expect(() => lineChart([])).toThrow(/lineChart: expected at least one series/);
    expect(() => lineChart([{ name: 'a', values: [1, 2], x: [1] }])).toThrow(/lineChart: series "a" has 1 x values and 2 y values/);
    expect(() => lineChart(series, { width: -1 })).toThrow(ValueError);
  });
});

describe('decisionRegions', () => {
  const x = tensor([[0, 0], [1, 0.5], [3, 2], [4, 1]]);
  const y = int([0, 0, 1, 1]);
  const split = (p: Tensor) => p.select(1, 0).gt(2).int(); // class 1 right of x1 = 2

  it('draws one rect per run of equal cells, one circle per point, a legend and axes', () => {
    let calls = 0;
    let seen: number[] = [];
    const svg = decisionRegions((p) => { calls++; seen = p.shape; return split(p); }, x, y, {
      resolution: 20, title: 'split', classNames: ['left', 'right'], xLabel: 'feature 1', yLabel: 'feature 2',
    });
    expect(calls).toBe(1);
    expect(seen).toEqual([400, 2]);
    const root = parseXml(svg);
    // a vertical boundary: every row has exactly two runs
    expect(findAll(byClass(root, 'regions')[0]!, 'rect')).toHaveLength(2 * 20);
    const dots = findAll(byClass(root, 'points')[0]!, 'circle');
    expect(dots).toHaveLength(4);
    expect(dots[0]!.attrs.fill).toBe(dots[1]!.attrs.fill);
    expect(dots[0]!.attrs.fill).not.toBe(dots[2]!.attrs.fill);
    const t = texts(root);
    for (const s of ['split', 'left', 'right', 'feature 1', 'feature 2']) expect(t).toContain(s);
    expect(decisionRegions(split, x, y, { resolution: 20 })).toBe(decisionRegions(split, x, y, { resolution: 20 }));
  });

  it('handles -1/+1 labels and probabilities from predict', () => {
    const root = parseXml(decisionRegions((p) => p.select(1, 0).sub(2).sigmoid(), x, int([-1, -1, 1, 1]), { resolution: 10 }));
    expect(findAll(byClass(root, 'regions')[0]!, 'rect')).toHaveLength(2 * 10);
    const t = texts(root);
    for (const s of ['-1', '0', '1']) expect(t).toContain(s); // legend: true labels -1/1 and predicted class 0/1
  });

  it('throws for bad shapes and a predict returning the wrong count', () => {
    expect(() => decisionRegions(split, tensor([1, 2]), y)).toThrow(ShapeError);
    expect(() => decisionRegions(split, x, int([0, 1]))).toThrow(/decisionRegions: y must have shape \[N\] matching x \[4, ?2\], got \[2\]/);
    expect(() => decisionRegions(() => int([0, 1]), x, y, { resolution: 5 })).toThrow(/decisionRegions: predict returned \[2\] for 25 points/);
    expect(() => decisionRegions(split, x, y, { resolution: 1 })).toThrow(/resolution must be an integer in \[2, 400\], got 1/);
  });
});

describe('imageGrid', () => {
  it('draws one group per image, a background and one rect per row run of other pixels', () => {
    // image 0: rows [0 1 1], [0 0 1] -> background black (tie broken by colour), 1 run per row
    // image 1: rows [1 1 1], [1 0 1] -> background white, 1 run (the 0)
    const images = tensor([[[0, 1, 1], [0, 0, 1]], [[1, 1, 1], [1, 0, 1]]]);
    const root = parseXml(imageGrid(images, { scale: 10, title: 'two images' }));
    const groups = byClass(root, 'image');
    expect(groups).toHaveLength(2);
    expect(findAll(groups[0]!, 'rect')).toHaveLength(1 + 2);
    expect(findAll(groups[1]!, 'rect')).toHaveLength(1 + 1);
    const [bg0, r00] = findAll(groups[0]!, 'rect');
    expect(bg0!.attrs.fill).toBe('#000000');
    expect(r00!.attrs.fill).toBe('#ffffff');
    expect(r00!.attrs.width).toBe('20'); // two pixels at scale 10
    expect(texts(root)).toContain('two images');
  });

  it('captions labels and predictions and frames mismatches in red', () => {
    const images = tensor(new Float32Array(3 * 16).map((_, i) => (i % 5) / 4), { shape: [3, 1, 4, 4] });
    const logits = tensor([[5, 0, 0], [0, 0, 5], [0, 5, 0]]); // predictions 0, 2, 1
    const root = parseXml(imageGrid(images, { labels: int([0, 1, 1]), predictions: logits, classNames: ['zero', 'one', 'two'] }));
    const t = texts(root);
    expect(t).toContain('zero');
    expect(t).toContain('two (true one)');
    expect(t).toContain('one');
    expect(findAll(root, 'rect').filter((r) => r.attrs.class === 'mismatch')).toHaveLength(1);
  });

  it('reads flat [N, H*W] images, square or with height and width', () => {
    expect(byClass(parseXml(imageGrid(tensor(new Float32Array(2 * 9), { shape: [2, 9] }))), 'image')).toHaveLength(2);
    expect(() => imageGrid(tensor(new Float32Array(2 * 6), { shape: [2, 6] }))).toThrow(/imageGrid: flat images \[2, ?6\] are not square/);
    expect(byClass(parseXml(imageGrid(tensor(new Float32Array(2 * 6), { shape: [2, 6] }), { height: 2, width: 3 })), 'image')).toHaveLength(2);
  });

  it('scales 0..255 values and throws for labels of the wrong length', () => {
    const root = parseXml(imageGrid(tensor([[[0, 255], [255, 255]]])));
    expect(findAll(byClass(root, 'image')[0]!, 'rect')[0]!.attrs.fill).toBe('#ffffff');
    expect(() => imageGrid(tensor([[[0, 1]]]), { labels: [1, 2] })).toThrow(/imageGrid: labels has 2 entries for 1 images/);
  });
});

function abc() {
  const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const b = tensor([[1, 0, 1], [0, 1, 0]], { requiresGrad: true });
  const c = tensor([0.5, 1, 2], { requiresGrad: true });
  const y = a.mul(b).add(c).sum();
  return { a, b, c, y, names: new Map<Tensor, string>([[a, 'a'], [b, 'b'], [c, 'c'], [y, 'y']]) };
}

describe('graphText', () => {
  it('lists SumBackward, AddBackward, MulBackward and the leaves with shapes, values and grads', () => {
    const { y, names } = abc();
    y.backward();
    const lines = graphText(y, { names }).split('\n');
    // value: sum(a*b) = 1 + 3 + 5 = 9, plus c added to both rows: 2 * 3.5 = 7
    expect(lines).toEqual([
      'y = SumBackward  [] float32  value 16',
      '└─ AddBackward  [2,3] float32',
      '   ├─ MulBackward  [2,3] float32',
      '   │  ├─ a  [2,3] float32  value [[1, 2, 3], [4, 5, 6]]  grad [[1, 0, 1], [0, 1, 0]]',
      '   │  └─ b  [2,3] float32  value [[1, 0, 1], [0, 1, 0]]  grad [[1, 2, 3], [4, 5, 6]]',
      '   └─ c  [3] float32  value [0.5, 1, 2]  grad [2, 2, 2]',
    ].map((l) => l.replace(/\[(\d),(\d)\] float/g, (_m, p, q) => `${fmt([Number(p), Number(q)])} float`)));
  });

  it('prints an op used twice once and refers to it after', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const e = x.exp();
    const y = e.mul(e).sum();
    const lines = graphText(y).split('\n');
    expect(lines.filter((l) => l.includes('ExpBackward'))).toHaveLength(2);
    expect(lines.filter((l) => /ExpBackward #\d+ \(shown above\)/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('leaf #1'))).toHaveLength(1);
  });

  it('shows values only when asked and abbreviates large tensors', () => {
    const { y } = abc();
    expect(graphText(y, { showValues: false })).not.toContain('value');
    const big = tensor(Array.from({ length: 10 }, (_, i) => i), { requiresGrad: true });
    expect(graphText(big.sum())).toContain('value 0 .. 9 (10 values)');
  });

  it('prints a leaf alone, and throws for a non-tensor', () => {
    expect(graphText(tensor([1, 2]))).toMatch(/^leaf \(no grad\) #1 {2}\[2\] float32 {2}value \[1, 2\]$/);
    expect(() => graphText(null as unknown as Tensor)).toThrow(/graphText: root must be a Tensor, got null/);
  });
});

describe('graphSvg', () => {
  it('draws one node per op and per leaf with names and shapes, and one arrow per edge', () => {
    const { y, names } = abc();
    y.backward();
    const root = parseXml(graphSvg(y, { names }));
    const ops = byClass(root, 'op');
    const leaves = byClass(root, 'leaf');
    expect(ops.map((g) => findAll(g, 'text')[0]!.text)).toEqual(['y = SumBackward', 'AddBackward', 'MulBackward']);
    expect(leaves.map((g) => findAll(g, 'text')[0]!.text)).toEqual(['a', 'b', 'c']);
    expect(findAll(ops[2]!, 'text')[1]!.text).toBe(`${fmt([2, 3])} float32`);
    expect(findAll(leaves[2]!, 'text').map((t) => t.text)).toEqual([`c`, `${fmt([3])} float32`, 'value [0.5, 1, 2]', 'grad [2, 2, 2]']);
    // edges: Sum<-Add, Add<-Mul, Add<-c, Mul<-a, Mul<-b
    expect(findAll(byClass(root, 'edges')[0]!, 'path')).toHaveLength(5);
    expect(graphSvg(y, { names })).toBe(graphSvg(y, { names }));
  });

  it('puts inputs left of the ops that use them', () => {
    const { y, names } = abc();
    const root = parseXml(graphSvg(y, { names }));
    const x = (label: string) => {
      const g = findAll(root, 'g').find((e) => findAll(e, 'text')[0]?.text === label && (e.attrs.class ?? '').startsWith('node'))!;
      return Number(findAll(g, 'rect')[0]!.attrs.x);
    };
    expect(x('a')).toBeLessThan(x('MulBackward'));
    expect(x('MulBackward')).toBeLessThan(x('AddBackward'));
    expect(x('c')).toBeLessThan(x('AddBackward'));
    expect(x('AddBackward')).toBeLessThan(x('y = SumBackward'));
  });

  it('shares one node for a leaf used twice', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const root = parseXml(graphSvg(w.mul(w).sum()));
    expect(byClass(root, 'leaf')).toHaveLength(1);
    expect(findAll(byClass(root, 'edges')[0]!, 'path')).toHaveLength(3);
  });
});

describe('saveSvg', () => {
  it('writes the file, creating folders', () => {
    const path = join(dir, 'a', 'b', 'chart.svg');
    const svg = lineChart([{ name: 'x', values: [1, 2] }]);
    expect(saveSvg(svg, path)).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(svg);
  });
});

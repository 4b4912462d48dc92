import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, tensor } from '@tapegrad/core';
import { accuracy, confusionMatrix, formatConfusionMatrix } from '@tapegrad/train';

const int = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('accuracy', () => {
  it('takes the argmax of multi-class logits', () => {
    // argmax per row: 0, 1, 2, 0, 2; targets 0, 1, 1, 0, 2 -> 4 of 5 right
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 0], [-1, -2, -0.5]]);
    expect(accuracy(logits, int([0, 1, 1, 0, 2]))).toBe(4 / 5);
  });

  it('takes the first maximum on ties, as argmax does', () => {
    expect(accuracy(tensor([[1, 1], [0, 0]]), int([0, 1]))).toBe(1 / 2);
  });

  it('thresholds binary probabilities at 0.5 against float or int targets', () => {
    // predictions 1, 0, 1, 0 (0.5 is not above the threshold)
    const p = tensor([0.9, 0.2, 0.7, 0.5]);
    expect(accuracy(p, tensor([1, 0, 0, 0]))).toBe(3 / 4);
    expect(accuracy(p, int([1, 0, 1, 1]))).toBe(3 / 4);
    expect(accuracy(p.reshape([4, 1]), tensor([[1], [0], [0], [0]]))).toBe(3 / 4);
    expect(accuracy(p, tensor([1, 1, 1, 1]), { threshold: 0.1 })).toBe(1);
  });

  it('compares predicted int32 labels directly, including -1/+1 labels', () => {
    expect(accuracy(int([1, -1, -1, 1, 1]), int([1, -1, 1, 1, -1]))).toBe(3 / 5);
    expect(accuracy(int([3, 1, 2]), int([3, 1, 2]))).toBe(1);
  });

  it('reads one-hot targets by their argmax', () => {
    const probs = tensor([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]);
    const onehot = tensor([[1, 0], [1, 0], [1, 0]]);
    expect(accuracy(probs, onehot)).toBe(2 / 3);
  });

  it('throws for different row counts, naming both shapes', () => {
    expect(() => accuracy(tensor([[1, 0], [0, 1]]), int([0, 1, 1]))).toThrow(ShapeError);
    expect(() => accuracy(tensor([[1, 0], [0, 1]]), int([0, 1, 1]))).toThrow(/accuracy: outputs \[2, ?2\] and targets \[3\]/);
  });

  it('throws for fractional targets and for 3-D outputs', () => {
    expect(() => accuracy(tensor([0.2, 0.8]), tensor([0.5, 1]))).toThrow(ValueError);
    expect(() => accuracy(tensor([[[1, 2]]]), int([0]))).toThrow(/accuracy: outputs must have shape/);
  });
});

describe('confusionMatrix', () => {
  it('counts true classes by row and predictions by column', () => {
    const pred = int([0, 1, 1, 2, 2, 0, 2]);
    const tgt = int([0, 1, 2, 2, 2, 1, 0]);
    // counted by hand: (t,p) = (0,0) (1,1) (2,1) (2,2) (2,2) (1,0) (0,2)
    expect(confusionMatrix(pred, tgt)).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [0, 1, 2],
    ]);
  });

  it('takes logits and a given number of classes', () => {
    const logits = tensor([[3, 1, 0, 0], [0, 2, 1, 0]]);
    expect(confusionMatrix(logits, int([0, 0]))).toEqual([
      [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0],
    ]);
    expect(confusionMatrix(int([1, 1]), int([1, 0]), 3)).toEqual([[0, 1, 0], [0, 1, 0], [0, 0, 0]]);
  });

  it('has diagonal sums equal to the number of correct predictions', () => {
    const pred = int([0, 1, 2, 3, 3, 1, 0, 2]);
    const tgt = int([0, 1, 1, 3, 2, 1, 0, 0]);
    const m = confusionMatrix(pred, tgt, 4);
    const diag = m.reduce((s, r, i) => s + r[i]!, 0);
    expect(diag / 8).toBe(accuracy(pred, tgt));
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('throws for a class outside [0, numClasses)', () => {
    expect(() => confusionMatrix(int([0, 3]), int([0, 1]), 3)).toThrow(/confusionMatrix: class ids must be in \[0, 3\); got target 1 and prediction 3 at row 1/);
  });
});

describe('formatConfusionMatrix', () => {
  it('prints an aligned table with totals and recall', () => {
    const s = formatConfusionMatrix([[5, 1], [0, 4]], ['cat', 'dog']);
    const lines = s.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.trim().split(/\s+/)).toEqual(['true', '\\', 'pred', 'cat', 'dog', 'total', 'recall']);
    expect(lines[1]!.trim().split(/\s+/)).toEqual(['cat', '5', '1', '6', (5 / 6).toFixed(4)]);
    expect(lines[2]!.trim().split(/\s+/)).toEqual(['dog', '0', '4', '4', '1.0000']);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('throws for a non-square matrix or the wrong number of names', () => {
    expect(() => formatConfusionMatrix([[1, 2]])).toThrow(/formatConfusionMatrix: expected a square matrix/);
    expect(() => formatConfusionMatrix([[1]], ['a', 'b'])).toThrow(/2 class names for a 1 x 1 matrix/);
  });
});

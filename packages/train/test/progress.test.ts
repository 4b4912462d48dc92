import { describe, expect, it } from 'vitest';
import { ValueError } from '@tapegrad/core';
import { ProgressBar, formatEpoch, formatValue, logEpoch } from '@tapegrad/train';

describe('formatEpoch', () => {
  it('prints the epoch, the values with 4 decimals, lr, seconds and samples per second', () => {
    const line = formatEpoch(3, 10, { loss: 0.12344, accuracy: 0.965, val_loss: 0.2, lr: 0.001, seconds: 12.3 }, 12.3, { samples: 59_901 });
    // 59,901 / 12.3 = 4,870.0 samples/s
    expect(line).toBe('epoch 3/10  loss 0.1234  accuracy 0.9650  val_loss 0.2000  lr 0.001  12.3s (4,870 samples/s)');
  });

  it('takes the sample count from the logs and omits the speed without one', () => {
    expect(formatEpoch(1, 2, { loss: 1, samples: 100 }, 2)).toBe('epoch 1/2  loss 1.0000  2.0s (50 samples/s)');
    expect(formatEpoch(1, 2, { loss: 1 }, 0.04)).toBe('epoch 1/2  loss 1.0000  0.04s');
  });

  it('uses exponent notation for tiny and huge values', () => {
    expect(formatValue(2.5e-5)).toBe('2.500e-5');
    expect(formatValue(123456)).toBe('1.235e+5');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(0)).toBe('0.0000');
  });
});

describe('logEpoch', () => {
  it('writes one line', () => {
    const lines: string[] = [];
    logEpoch(2, 5, { loss: 0.5 }, 1, { write: (l) => lines.push(l) });
    expect(lines).toEqual(['epoch 2/5  loss 0.5000  1.0s']);
  });
});

describe('ProgressBar', () => {
  it('prints nothing on a stream that is not a terminal', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ total: 3, label: 'epoch 1/1', stream: { write: (s: string) => writes.push(s), isTTY: false } });
    expect(bar.active).toBe(false);
    bar.update(1, { loss: 1 });
    bar.update(3, { loss: 0.5 });
    bar.stop();
    expect(writes).toEqual([]);
  });

  it('draws the label, bar, count and values on a terminal and clears the line at stop', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ total: 4, label: 'epoch 2/3', unit: 'batch', barSize: 8, stream: { write: (s: string) => writes.push(s), isTTY: true } });
    expect(bar.active).toBe(true);
    expect(writes.join('')).toContain('epoch 2/3 [--------] 0/4');
    bar.stop();
    expect(writes.join('')).toMatch(/\x1b\[2K$/);
  });

  it('validates the total', () => {
    expect(() => new ProgressBar({ total: -1 })).toThrow(ValueError);
  });
});

// The MNIST examples in quick mode (a subset of the real data, one epoch).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as mnistSmall } from '../src/mnist-small.js';
import { runExample } from './helpers.js';

describe('mnist-small', () => {
  it('learns MNIST well above chance in one quick epoch of SGD (20,000 images, batch 10)', async () => {
    const { result, text, out } = await runExample<{ testAccuracy: number; history: Array<Record<string, number>> }>(mnistSmall, { quick: true });
    expect(result.history).toHaveLength(1);
    // Chance is 0.1; one epoch of 2,000 SGD steps at lr 0.01 reaches about 0.75 on this subset.
    expect(result.testAccuracy).toBeGreaterThan(0.5);
    expect(result.history[0]!.test_accuracy).toBe(result.testAccuracy);
    // The per-epoch test figures are named test_, and the curves say they are on the test set.
    expect(text).toMatch(/epoch 1\/1 {2}loss \S+ {2}accuracy \S+ {2}test_loss \S+ {2}test_accuracy /);
    expect(readFileSync(join(out, 'mnist-small-accuracy.svg'), 'utf8')).toContain('test accuracy (test set)');
    expect(text).toContain('Total params: 13,002'); // 785*16 + 17*16 + 17*10
    expect(text).toContain(`test accuracy: ${result.testAccuracy.toFixed(4)}`);
    // The notes' log (1875 steps an epoch = 60000 / 32, no val_ columns, 0.9776) is not this code's.
    expect(text).toContain("The notes' log cannot come from the notes' code");
    expect(text).toContain('1875 steps an epoch, which is 60000 / 32');
    expect(text).toContain('batch 10 gives 6000 (here: 20000 images, 2000 steps)');
    expect(text).toContain(`The code itself gives, after 1 epoch: test accuracy ${result.testAccuracy.toFixed(4)}.`);
    for (const what of ['loss', 'accuracy', 'predictions']) expect(existsSync(join(out, `mnist-small-${what}.svg`))).toBe(true);
  });
});

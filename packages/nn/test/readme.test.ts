import { describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, randn, randint, noGrad } from '@tapegrad/core';
import {
  Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, CrossEntropyLoss, summary, saveSafetensors, loadSafetensors,
} from '@tapegrad/nn';

describe('README example', () => {
  it('runs as written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tapegrad-readme-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      manualSeed(0);
      const model = new Sequential(new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(32 * 13 * 13, 10));
      expect(summary(model, [1, 1, 28, 28], { print: true }).totals.total).toBe(54410);
      const loss = new CrossEntropyLoss().call(model.call(randn([8, 1, 28, 28])), randint(0, 10, [8]));
      loss.backward();
      noGrad(() => model.parameters().forEach((p) => p.sub_(p.grad!.mul(0.01))));
      const path = join(dir, 'model.safetensors');
      await saveSafetensors(model.stateDict(), path);
      expect(Object.keys(await loadSafetensors(path)).sort()).toEqual(['0.bias', '0.weight', '4.bias', '4.weight']);
    } finally {
      log.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

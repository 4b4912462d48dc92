// char-gpt in quick mode (a 2-block GPT, d = 32, context 16, 200 steps of batch 16): its printed
// and returned figures against values computed here from the text itself (vocabulary, the
// unigram cross-entropy, the learning-rate schedule's closed form) and against the checkpoint it
// wrote, read back here.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSafetensorsWithMetadata } from '@tapegrad/nn';
import { main as charGpt, type CharGptResult } from '../src/char-gpt.js';
import { EXAMPLES } from '../src/registry.js';
import { runExample } from './helpers.js';

const TEXT = readFileSync(fileURLToPath(new URL('../data/tinyshakespeare.txt', import.meta.url)), 'utf8');

/** Cross-entropy on the last 10% of the text of the add-one-smoothed character counts of the first 90%. */
function unigramCrossEntropy(text: string): { chars: string[]; h: number } {
  const chars = [...new Set(text)].sort();
  const n = Math.floor(0.9 * text.length);
  const counts = new Map(chars.map((c) => [c, 1]));
  for (let i = 0; i < n; i++) counts.set(text[i]!, counts.get(text[i]!)! + 1);
  const total = n + chars.length;
  let s = 0;
  for (let i = n; i < text.length; i++) s -= Math.log(counts.get(text[i]!)! / total);
  return { chars, h: s / (text.length - n) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('char-gpt', () => {
  it('trains a small GPT on tinyshakespeare below the unigram entropy, samples from its vocabulary and reloads its checkpoint exactly', async () => {
    const { result, text, out } = await runExample<CharGptResult>(charGpt, { quick: true });
    const { chars, h } = unigramCrossEntropy(TEXT);

    // the vocabulary: the 65 sorted characters of the text
    expect(chars).toHaveLength(65);
    expect(result.vocab).toBe(chars.join(''));
    expect(result.unigramVal).toBeCloseTo(h, 9);
    expect(h).toBeGreaterThan(3.2); // about 3.35 nats
    expect(h).toBeLessThan(3.5);

    // an untrained model (N(0, 0.02) weights) predicts nearly uniformly: loss ln(65) = 4.174
    expect(Math.abs(result.initialLoss - Math.log(65))).toBeLessThan(0.1);
    expect(Math.abs(result.history[0]!.val - Math.log(65))).toBeLessThan(0.1);

    // the loss falls, and the model beats the character frequencies on held-out text
    const steps = result.batchLosses.length;
    expect(steps).toBe(200);
    expect(mean(result.batchLosses.slice(-20))).toBeLessThan(mean(result.batchLosses.slice(0, 20)) - 1);
    expect(result.finalVal).toBeLessThan(h);
    expect(result.finalTrain).toBeLessThan(h);
    expect(result.history.map((p) => p.step)).toEqual([0, 50, 100, 150, 200]);

    // the learning rate at each evaluation: linear warm-up over 20 steps from lr/20, then cosine to lr/10
    const lr = 1e-2, w = 20, etaMin = lr / 10;
    const schedule = (s: number) => (s < w ? lr * (1 / w + (1 - 1 / w) * (s / w)) : etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * (s - w)) / (steps - w)))) / 2);
    for (const p of result.history.slice(1)) expect(p.lr).toBeCloseTo(schedule(p.step), 10);

    // the sample: 100 characters of the vocabulary
    expect(result.sample).toHaveLength(100);
    for (const c of result.sample) expect(chars).toContain(c);

    // the checkpoint: nanoGPT's keys, the tied head stored under both names, the config as metadata
    expect(result.reloadMaxDiff).toBe(0);
    const { tensors, metadata } = await loadSafetensorsWithMetadata(result.checkpoint);
    expect(JSON.parse(metadata.config!)).toEqual(result.config);
    expect(metadata.vocab).toBe(result.vocab);
    expect(tensors['wte.weight']!.shape).toEqual([65, 32]);
    expect(tensors['wpe.weight']!.shape).toEqual([16, 32]);
    expect(tensors['h.1.attn.c_attn.weight']!.shape).toEqual([96, 32]);
    expect(tensors['h.0.mlp.c_fc.weight']!.shape).toEqual([128, 32]);
    expect(tensors['lm_head.weight']!.toArray()).toEqual(tensors['wte.weight']!.toArray());
    // parameters counted once: 65*32 + 16*32 + 2 * (12*32*32 + 13*32) + 2*32
    expect(result.parameters).toBe(65 * 32 + 16 * 32 + 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32);
    const stored = Object.entries(tensors).filter(([k]) => k !== 'lm_head.weight').reduce((n, [, t]) => n + t.numel(), 0);
    expect(stored).toBe(result.parameters);

    // what it prints
    expect(text).toContain(`vocabulary of 65`);
    expect(text).toContain(`final: train ${result.finalTrain.toFixed(4)}, val ${result.finalVal.toFixed(4)}`);
    expect(text).toContain(result.sample);
    expect(text).toContain('max |logit difference| = 0');
    expect(existsSync(join(out, 'char-gpt-loss.svg'))).toBe(true);
  });

  it('is registered with its own flags', () => {
    expect(Object.keys(EXAMPLES['char-gpt']!.flags!)).toEqual(['steps', 'layers', 'heads', 'dim', 'context', 'batch', 'lr', 'eval-every', 'seed']);
  });
});

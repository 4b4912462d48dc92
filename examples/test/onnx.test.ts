// The onnx example in quick mode: the convnet trained on 1,000 images, exported, run by ONNX Runtime.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { main as onnxExample } from '../src/onnx.js';
import { runExample } from './helpers.js';

describe('onnx example', () => {
  it('gives the same test accuracy with ONNX Runtime as with tapegrad, logits within 1e-5', async () => {
    const { result, text } = await runExample<{ tapegradAccuracy: number; ortAccuracy: number; maxAbsDiff: number; path: string }>(onnxExample, { quick: true });
    expect(result.tapegradAccuracy).toBeGreaterThan(0.2); // chance is 0.1
    expect(result.ortAccuracy).toBe(result.tapegradAccuracy);
    expect(result.maxAbsDiff).toBeLessThan(1e-5);
    expect(existsSync(result.path)).toBe(true);
    expect(text).toContain(`test accuracy, ONNX Runtime: ${result.ortAccuracy.toFixed(4)}`);
  });
});

// The character-level LSTM in quick mode: its printed figures against values computed here, in
// plain JS from the text file and from the trained model's logits on one line at a time (no
// padding, no packing, no library loss).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { noGrad, tensor } from '@tapegrad/core';
import { main as lstm, type LstmResult } from '../src/lstm.js';
import { runExample } from './helpers.js';

const TEXT = readFileSync(new URL('../data/tinyshakespeare.txt', import.meta.url), 'utf8');

/** Mean -log softmax(logits)[target] per character over `lines`, each run alone as "\n" + line -> line + "\n". */
function lineByLineLoss(result: LstmResult, lines: string[]): number {
  const { model, vocab } = result;
  const ids = (s: string) => Array.from(s, (c) => vocab.index.get(c)!);
  model.eval();
  let sum = 0, chars = 0;
  noGrad(() => {
    for (const line of lines) {
      const x = tensor(ids('\n' + line).map((i) => [i]), { dtype: 'int32' }); // [T, 1]
      const [logits] = model.call(x);
      const rows = logits.reshape([-1, vocab.chars.length]).toArray() as number[][];
      ids(line + '\n').forEach((target, t) => {
        const row = rows[t]!;
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        sum += lse - row[target]!;
        chars++;
      });
    }
  });
  return sum / chars;
}

describe('lstm', () => {
  it('starts at about ln 65 per character, learns, and its padded, packed validation loss equals that of unpadded single lines', async () => {
    const { result, text } = await runExample<LstmResult>(lstm, { quick: true });
    const vocabSize = new Set(TEXT).size;
    expect(vocabSize).toBe(65);
    expect(result.vocabSize).toBe(vocabSize);
    // A fresh model's predictions are close to uniform over the vocabulary.
    expect(Math.abs(result.initialValLoss - Math.log(vocabSize))).toBeLessThan(0.05);
    expect(text).toContain(`ln 65 = ${Math.log(65).toFixed(4)}`);

    // The validation lines are the first 64 of the last tenth of the non-empty lines.
    const lines = TEXT.split('\n').filter((l) => l.length > 0);
    expect(result.valLines).toEqual(lines.slice(Math.floor(lines.length * 0.9)).slice(0, 64));
    const lengths = result.valLines.map((l) => l.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeGreaterThan(10); // the batches really are ragged

    // Packing skips the padding, and the loss ignores it: same loss with the LSTM run over the padding.
    expect(result.packedLoss).toBeCloseTo(result.paddedLoss, 5);

    // The loss falls: per print, and from the start to the end of training.
    const val = result.intervals.map((r) => r.valLoss);
    expect(result.intervals.map((r) => r.step)).toEqual([10, 20, 30, 40]);
    for (let i = 1; i < val.length; i++) expect(val[i]!).toBeLessThan(val[i - 1]!);
    const final = result.epochs[0]!.valLoss;
    expect(final).toBeLessThan(result.initialValLoss - 0.8);
    expect(result.intervals[3]!.trainLoss).toBeLessThan(result.intervals[0]!.trainLoss);
    expect(text).toContain(`val loss ${final.toFixed(4)}`);

    // The example scored the validation lines in padded, packed batches of 16; one line at a
    // time, with the cross-entropy written out, gives the same mean per character.
    expect(lineByLineLoss(result, result.valLines)).toBeCloseTo(final, 4);

    // The sample is made of the text's characters.
    expect(result.sample).toHaveLength(120);
    for (const c of result.sample) expect(result.vocab.index.has(c)).toBe(true);
    expect(text).toContain(result.sample);
  });
});

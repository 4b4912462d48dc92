import { describe, expect, it } from 'vitest';
import { Generator, ValueError, arange, tensor } from '@tapegrad/core';
import {
  DataLoader, MinMaxScaler, TensorDataset, blobs, circles, decodeIdx, linearlySeparable, loadCsv, loadIris, loadMnist,
  minMaxScale, moons, oneHot, parseCsv, parseIdx, randomSplit, readIdx, spirals, trainTestSplit, xor,
} from '@tapegrad/datasets';

const LABELS = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]);
const ds = new TensorDataset(arange(4));

/** Each function, called with the given options (possibly async). */
const CALLS: Record<string, (opts: unknown) => unknown> = {
  parseCsv: (o) => parseCsv('a,label\n1,0\n', o as never),
  loadCsv: (o) => loadCsv('a,label\n1,0\n', o as never),
  parseIdx: (o) => parseIdx(LABELS, 'l', o as never),
  decodeIdx: (o) => decodeIdx(LABELS, 'l', o as never),
  readIdx: (o) => readIdx('/nonexistent-idx1-ubyte', o as never),
  loadMnist: (o) => loadMnist(o as never),
  loadIris: (o) => loadIris(o as never),
  DataLoader: (o) => new DataLoader(ds, o as never),
  randomSplit: (o) => randomSplit(ds, [2, 2], o as never),
  trainTestSplit: (o) => trainTestSplit(arange(4), arange(4), o as never),
  MinMaxScaler: (o) => new MinMaxScaler(o as never),
  minMaxScale: (o) => minMaxScale(tensor([[1], [2]]), o as never),
  oneHot: (o) => oneHot(tensor([1], { dtype: 'int32' }), 2, o as never),
  xor: (o) => xor(o as never),
  moons: (o) => moons(o as never),
  circles: (o) => circles(o as never),
  spirals: (o) => spirals(o as never),
  blobs: (o) => blobs(o as never),
  linearlySeparable: (o) => linearlySeparable(o as never),
};

async function message(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return (e as Error).message;
  }
  throw new Error('expected a ValueError');
}

describe('datasets options', () => {
  it('every function refuses an unknown option and a positional value, naming itself', async () => {
    for (const [fn, call] of Object.entries(CALLS)) {
      expect(await message(() => call({ bogus: 1 })), fn).toMatch(new RegExp(`^${fn}: unknown option 'bogus'; ${fn} takes `));
      expect(await message(() => call(true)), fn).toMatch(new RegExp(`^${fn}: expected an options object such as \\{ \\w+: \\.\\.\\. \\}, got true \\(a boolean\\)`));
    }
  });

  it('refuses a wrongly typed option with a message instead of a bare TypeError', async () => {
    expect(await message(() => parseCsv('a,label\n1,0\n', { classNames: 'abc' as never }))).toBe(
      "parseCsv: option classNames must be an array of strings, got 'abc' (a string)",
    );
    expect(await message(() => loadCsv('a;label\n1;0\n', { delimeter: ';' } as never))).toMatch(/^loadCsv: unknown option 'delimeter' \(did you mean 'delimiter'\?\)/);
    expect(await message(() => loadMnist({ split: 'val' as never }))).toBe("loadMnist: option split must be 'train' or 'test', got 'val' (a string)");
    expect(await message(() => parseIdx(LABELS, 'l', { type: 'uint8' as never }))).toMatch(/^parseIdx: option type must be 'ubyte', 'byte'/);
    expect(await message(() => oneHot(tensor([1], { dtype: 'int32' }), 2, { dtype: 'float16' as never }))).toMatch(/^oneHot: option dtype must be 'float32'/);
  });

  it('accepts a Generator as generator and refuses anything else', async () => {
    expect(new DataLoader(ds, { generator: new Generator(1), shuffle: true }).length).toBe(4);
    expect(moons({ n: 4, generator: new Generator(1) }).x.shape).toEqual([4, 2]);
    expect(randomSplit(ds, [2, 2], { generator: new Generator(3) })).toHaveLength(2);
    // core's 'generator' option type (the case of 'Generator' is core's to print)
    expect(await message(() => new DataLoader(ds, { generator: 42 as never }))).toMatch(/^DataLoader: option generator must be a [gG]enerator, got 42 \(a number\)$/);
    expect(await message(() => trainTestSplit(arange(4), arange(4), { generator: { seed: 1 } as never }))).toMatch(
      /^trainTestSplit: option generator must be a [gG]enerator, got an object$/,
    );
    expect(await message(() => randomSplit(ds, [2, 2], { generator: 'g' } as never))).toMatch(/^randomSplit: option generator must be a [gG]enerator/);
    expect(await message(() => xor({ generator: 1 } as never))).toMatch(/^xor: option generator must be a [gG]enerator/);
    expect(await message(() => linearlySeparable({ noise: 0.1 } as never))).toMatch(/^linearlySeparable: unknown option 'noise'/);
  });
});

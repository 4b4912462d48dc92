import { afterEach, describe, expect, it } from 'vitest';
import { AutogradError, enableGrad, isGradEnabled, noGrad, setGradEnabled, tensor } from '@tapegrad/core';
import { setAsyncStorageForTests } from '../src/autograd/grad-mode.js';

// noGrad / enableGrad with async callbacks: each region has its own mode through its awaits,
// and code running between them keeps its own.

/** Resolves after `ms` milliseconds (a macrotask, so other regions run in between). */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('async grad-mode regions', () => {
  afterEach(() => expect(isGradEnabled()).toBe(true));

  it('two overlapping regions each see their own mode, and the outside sees grad on throughout and after', async () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const seen: string[] = [];
    const a = noGrad(async () => {
      for (let i = 0; i < 3; i++) {
        seen.push(`a${i}:${isGradEnabled()}:${w.mul(2).requiresGrad}`);
        await sleep(2);
      }
    });
    const b = noGrad(async () => {
      await sleep(1);
      for (let i = 0; i < 3; i++) {
        seen.push(`b${i}:${isGradEnabled()}`);
        await enableGrad(async () => {
          await sleep(1);
          seen.push(`b${i}e:${isGradEnabled()}`);
        });
        await sleep(1);
      }
    });
    // a training loop running meanwhile keeps recording
    const outside: boolean[] = [];
    const loop = (async () => {
      for (let i = 0; i < 6; i++) {
        outside.push(isGradEnabled() && w.mul(2).requiresGrad);
        await sleep(1);
      }
    })();
    outside.push(isGradEnabled());
    await Promise.all([a, b, loop]);
    expect(seen.filter((s) => s.startsWith('a'))).toEqual(['a0:false:false', 'a1:false:false', 'a2:false:false']);
    expect(seen.filter((s) => /^b\d:/.test(s))).toEqual(['b0:false', 'b1:false', 'b2:false']);
    expect(seen.filter((s) => /^b\de/.test(s))).toEqual(['b0e:true', 'b1e:true', 'b2e:true']);
    expect(outside).toEqual([true, true, true, true, true, true, true]);
    expect(isGradEnabled()).toBe(true);
    expect(w.mul(2).requiresGrad).toBe(true);
  });

  it('regions that end in either order leave grad on', async () => {
    let release1!: () => void;
    const first = noGrad(async () => new Promise<void>((r) => (release1 = r)));
    const second = noGrad(async () => sleep(1));
    await second; // the inner-started region ends first
    release1();
    await first;
    expect(isGradEnabled()).toBe(true);
  });

  it('a region returns its value and passes its rejection on, closing either way', async () => {
    expect(await noGrad(async () => { await sleep(0); return isGradEnabled(); })).toBe(false);
    await expect(noGrad(async () => { await sleep(0); throw new Error('boom'); })).rejects.toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('setGradEnabled inside a region sets that region only', async () => {
    const inside: boolean[] = [];
    const region = enableGrad(async () => {
      setGradEnabled(false);
      await sleep(1);
      inside.push(isGradEnabled());
    });
    expect(isGradEnabled()).toBe(true);
    await region;
    expect(inside).toEqual([false]);
  });

  it('a synchronous noGrad nested inside a region, and a region nested in a synchronous one, work', async () => {
    const got = await enableGrad(async () => {
      await sleep(0);
      const inner = noGrad(() => isGradEnabled());
      return [inner, isGradEnabled()];
    });
    expect(got).toEqual([false, true]);
    let inSync: Promise<boolean> | undefined;
    noGrad(() => {
      inSync = enableGrad(async () => { await sleep(0); return isGradEnabled(); });
      expect(isGradEnabled()).toBe(false);
    });
    expect(await inSync).toBe(true);
  });

  it('callbacks a region scheduled see the mode around it once it has ended', async () => {
    let later: Promise<boolean> | undefined;
    await noGrad(async () => {
      later = sleep(5).then(() => isGradEnabled());
    });
    const other = noGrad(async () => sleep(10)); // another region open when the callback runs
    expect(await later).toBe(true);
    await other;
  });

  it('a synchronous noGrad is unchanged', () => {
    expect(noGrad(() => isGradEnabled())).toBe(false);
    expect(() => noGrad(() => { throw new Error('x'); })).toThrow('x');
    expect(isGradEnabled()).toBe(true);
  });

  it('refuses a plain function that returns a promise, naming the fix', () => {
    expect(() => noGrad(() => sleep(0))).toThrow(AutogradError);
    expect(() => enableGrad(() => Promise.resolve(1))).toThrow(
      'enableGrad: the callback returned a promise but is not an async function, so the code it awaits would run outside enableGrad; pass an async function, e.g. enableGrad(async () => { ... })',
    );
  });

  it('refuses async callbacks where there is no AsyncLocalStorage (browsers)', () => {
    setAsyncStorageForTests(null);
    try {
      let ran = false;
      expect(() => noGrad(async () => { ran = true; })).toThrow(/^noGrad: an async callback needs AsyncLocalStorage \(Node\)/);
      expect(ran).toBe(false);
      expect(noGrad(() => isGradEnabled())).toBe(false);
    } finally {
      setAsyncStorageForTests(undefined);
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { setNumThreads, getNumThreads, ValueError } from '@tapegrad/core';

// The worker pool under misuse and failure: thread counts it must refuse, and workers that die.

describe('setNumThreads', () => {
  const saved = getNumThreads();
  afterEach(() => setNumThreads(saved));

  it('refuses more than 64 threads, naming the limit and why', () => {
    expect(() => setNumThreads(1000)).toThrow(ValueError);
    expect(() => setNumThreads(1000)).toThrow(/^setNumThreads: expected at most 64 threads, got 1000 \(each thread is a JavaScript isolate/);
    expect(() => setNumThreads(65)).toThrow('setNumThreads: expected at most 64 threads, got 65');
    expect(getNumThreads()).toBe(saved);
  });

  it('takes any count from 1 to 64', () => {
    setNumThreads(64);
    expect(getNumThreads()).toBe(64);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });

  it('refuses counts that are not positive integers, naming the value and its type', () => {
    for (const bad of [0, -2, 1.5, NaN, Infinity]) expect(() => setNumThreads(bad)).toThrow(`setNumThreads: expected a positive integer, got ${bad}`);
    expect(() => setNumThreads('4' as unknown as number)).toThrow("setNumThreads: expected a positive integer, got '4' (a string)");
  });
});

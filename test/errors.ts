import { expect } from 'vitest';
import { ValueError } from '@tapegrad/core';

/** The message of the ValueError that `f` throws; fails the test if it throws nothing or another error. */
export function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return (e as Error).message;
  }
  throw new Error('expected a ValueError');
}

// Type-checks every doc-comment example (see typecheck.ts); kept apart from doc-examples.test.ts,
// which runs them, so that the two run in parallel.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { typecheckExamples } from './typecheck.js';

describe('doc examples', () => {
  it('type-check against the packages as a strict TypeScript user file would', () => {
    const errors = typecheckExamples(fileURLToPath(new URL('../..', import.meta.url)));
    expect(errors.map((e) => `${e.file}:${e.line} (${e.symbol}): ${e.message}`)).toEqual([]);
  });
});

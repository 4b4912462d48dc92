import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so no build is needed first.
    alias: {
      '@tapegrad/core': src('core'),
      '@tapegrad/nn': src('nn'),
      '@tapegrad/optim': src('optim'),
      '@tapegrad/datasets': src('datasets'),
      '@tapegrad/train': src('train'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});

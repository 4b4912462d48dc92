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
      '@tapegrad/onnx': src('onnx'),
      '@tapegrad/native': src('native'),
    },
  },
  test: {
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        // The wasm kernels come in a relaxed-SIMD build (the default where the engine has it)
        // and a plain SIMD one; the suites that compare kernels with the reference run on the
        // plain one too.
        extends: true,
        test: {
          name: 'plain-simd',
          include: ['packages/core/test/{conformance,wasm-threads,winograd,winograd4}.test.ts'],
          env: { TAPEGRAD_RELAXED_SIMD: '0' },
        },
      },
    ],
  },
});

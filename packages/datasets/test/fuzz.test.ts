import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeIdx, loadCsv, parseIdx } from '@tapegrad/datasets';
import { FuzzChecker, rng } from '../../../test/fuzz.js';

// Seeded fuzzing of the file parsers: thousands of mutated IDX files (raw and gzipped) and CSV
// files, each of which must load or fail with a ValueError naming the file, within a second,
// without holding much more memory than the file's bytes.

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idxBytes(type: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const ramp = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
const IDX_SEEDS = [
  idxBytes(0x08, [20], ramp(20)),
  idxBytes(0x08, [3, 4, 5], ramp(60)),
  idxBytes(0x0c, [4], ramp(16)),
  idxBytes(0x0e, [2, 2], ramp(32)),
  idxBytes(0x0b, [3], ramp(6)),
  idxBytes(0x09, [2, 1, 1, 3], ramp(6)),
];

function mutateIdx(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const view = new DataView(b.buffer);
  switch (Math.floor(r() * 6)) {
    case 0: // header bytes: magic, type code, number of dims
      b[Math.floor(r() * Math.min(4, b.length))] = [0, 1, 3, 8, 0x0c, 0x0e, 0x40, 0x41, 0xff][Math.floor(r() * 9)]!;
      return b;
    case 1: // a dim: huge, zero, off by one
      if (b.length >= 8) {
        const at = 4 + 4 * Math.floor(r() * Math.min(b[3]!, (b.length - 4) >> 2));
        const d = view.getUint32(at, false);
        view.setUint32(at, [0, d + 1, d - 1, 65536, 2 ** 31, 2 ** 32 - 1][Math.floor(r() * 6)]! >>> 0, false);
      }
      return b;
    case 2:
      return b.subarray(0, Math.floor(r() * b.length));
    case 3: // more data than declared: a few bytes, or a megabyte of zeros (a gzip bomb once compressed)
      return concat(b, new Uint8Array(r() < 0.2 ? 1 << 20 : 1 + Math.floor(r() * 8)));
    default: // any byte
      for (let k = 1 + Math.floor(r() * 3); k > 0 && b.length > 0; k--) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      return b;
  }
}

/** The file size an IDX header declares (its first bytes, when the magic number is invalid). */
function declaredSize(b: Uint8Array): number {
  const sizes: Record<number, number> = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 };
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0 || !sizes[b[2]!] || b[3] === 0) return 4;
  const header = 4 + 4 * b[3]!;
  if (b.length < header) return b.length;
  let count = 1;
  for (let d = 0; d < b[3]!; d++) count *= new DataView(b.buffer, b.byteOffset).getUint32(4 + 4 * d, false);
  return header + count * sizes[b[2]!]!;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const CSV_SEEDS = [
  'a,b,label\n1,2,cat\n3.5,-4,dog\n0.25,1e3,cat\n',
  'x,y,label\n1,2,0\n3,4,2\n5,6,1\n',
  '"p, q",r,label\n"1",2,"big cat"\n3,"4",dog\n',
  '1;2;3\n4;5;6\n',
];
const CSV_TOKENS = ['0x1F', '0b101', '0o7', '1_000', '2147483647', '99999999999', '"', '""', ',', ';', '\n', '\r', '\r\n', 'nan', 'inf', '-', '.', ' ', 'e', '1e999', '__proto__', ''];
const CSV_BYTES = [0xff, 0xc3, 0xe9, 0x80, 0x00, 0xef, 0xbb, 0xbf];
const CSV_OPTIONS = [{}, { header: false }, { labelColumn: 0 }, { labelColumn: 'label' }, { classNames: ['cat', 'dog'] }, { delimiter: ';' }];

function mutateCsv(src: Uint8Array, r: () => number): Uint8Array {
  const at = Math.floor(r() * (src.length + 1));
  switch (Math.floor(r() * 4)) {
    case 0: { // insert a token
      const t = new TextEncoder().encode(CSV_TOKENS[Math.floor(r() * CSV_TOKENS.length)]!);
      return concat(concat(src.subarray(0, at), t), src.subarray(at));
    }
    case 1: // a byte that is not UTF-8 on its own
      return concat(concat(src.subarray(0, at), Uint8Array.of(CSV_BYTES[Math.floor(r() * CSV_BYTES.length)]!)), src.subarray(at));
    case 2: // delete a run
      return concat(src.subarray(0, at), src.subarray(Math.min(src.length, at + 1 + Math.floor(r() * 6))));
    default:
      return src.subarray(0, at);
  }
}

describe('file parser fuzzing', () => {
  it('loads or refuses 1500 mutated IDX files, raw and gzipped, with a ValueError naming the file', async () => {
    const r = rng(7);
    const check = new FuzzChecker();
    for (let i = 0; i < 1500; i++) {
      let inner = IDX_SEEDS[i % IDX_SEEDS.length]!;
      for (let k = 1 + Math.floor(r() * 2); k > 0; k--) inner = mutateIdx(inner, r);
      if (i % 2 === 0) {
        const name = `fuzz-${i}-idx`;
        await check.run(name, inner.length, () => parseIdx(inner, name));
      } else {
        let gz: Uint8Array = gzipSync(inner);
        // Half the gzipped files are damaged after compression, in the header, the stream or the trailer.
        if (r() < 0.5) {
          gz = gz.slice(0, r() < 0.3 ? Math.floor(r() * gz.length) : gz.length);
          if (gz.length > 0) gz[Math.floor(r() * gz.length)] = Math.floor(r() * 256);
        }
        const name = `fuzz-${i}-idx.gz`;
        // What decompression may hold: the size the header declares, at most the content.
        await check.run(name, Math.max(gz.length, Math.min(declaredSize(inner), inner.length)), () => decodeIdx(gz, name));
      }
    }
    expect(check.problems.slice(0, 10)).toEqual([]);
    expect(check.loaded).toBeGreaterThan(50);
  });

  it('loads or refuses 1000 mutated CSV files with a ValueError naming the file', async () => {
    const r = rng(11);
    const check = new FuzzChecker();
    const seeds = CSV_SEEDS.map((s) => new TextEncoder().encode(s));
    for (let i = 0; i < 1000; i++) {
      let bytes: Uint8Array = seeds[i % seeds.length]!;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) bytes = mutateCsv(bytes, r);
      const path = join(dir, `fuzz-${i}.csv`);
      writeFileSync(path, bytes);
      const opts = CSV_OPTIONS[Math.floor(r() * CSV_OPTIONS.length)]!;
      await check.run(path, bytes.length, () => loadCsv(path, opts));
    }
    expect(check.problems.slice(0, 10)).toEqual([]);
    expect(check.loaded).toBeGreaterThan(50);
  });
});

import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@tapegrad/core';
import { parseSafetensors, serializeSafetensors } from '@tapegrad/nn';
import { FuzzChecker, rng } from '../../../test/fuzz.js';

// Seeded fuzzing of the safetensors parser: thousands of mutated files, each of which must load
// or fail with a ValueError naming the file, quickly, and without holding more memory than the
// bytes the file really has.

const SEEDS: Uint8Array[] = [
  serializeSafetensors({ w: tensor([[1, 2], [3, 4]]), b: tensor([0.5]), n: tensor([3], { dtype: 'int32' }) }, { format: 'pt' }),
  serializeSafetensors({ m: tensor([true, false]), d: tensor([1, 2, 3], { dtype: 'float64' }) }),
  serializeSafetensors({ k: tensor([1, 255], { dtype: 'int32' }), s: tensor([7], { dtype: 'int32' }) }, undefined, { dtypes: { k: 'U8', s: 'I64' } }),
  serializeSafetensors({ e: tensor([], { dtype: 'float32' }).reshape([0, 3]), z: tensor(2) }),
];

const ODD_TEXT = ['[['.repeat(50_000), '__proto__', 'valueOf', 'constructor', '[[[[[[', '{{{{', '"', '\\u0000', '1e308', '-1', '4294967296', '9007199254740993', '"F16"', '"BF16"', '"I64"', '"U8"', '[]', '{}', 'null', ','];
const ODD_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5b, 0x7b, 0x2c, 0x39, 0x20];

/** Header length N of a safetensors file (low 32 bits). */
const headerLen = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);

/** One random mutation of `src`: bytes, the length field, the header text, or the size. */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let b: Uint8Array = src.slice();
  let kind = Math.floor(r() * 7);
  // Header and length mutations need a header to work on.
  if (b.length < 8 || headerLen(b) > b.length - 8) kind = kind <= 4 ? 0 : kind;
  if (kind === 0 || b.length === 0) {
    for (let k = 1 + Math.floor(r() * 4); k > 0; k--) b[Math.floor(r() * b.length)] = pick(ODD_BYTES);
  } else if (kind === 1) {
    b = b.subarray(0, Math.floor(r() * b.length));
  } else if (kind === 2) {
    // The length field: off by a little, huge, or random.
    const n = headerLen(b);
    const v = pick([n + 1, n - 1, n + 8, 0, 1, 2 ** 32 - 1, Math.floor(r() * 2 ** 32)]);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    if (r() < 0.3) new DataView(b.buffer).setUint32(4, Math.floor(r() * 256), true);
  } else if (kind <= 4) {
    // The header text: replace a number or a token with something odd, keeping the length field right.
    const n = headerLen(b);
    let text = new TextDecoder().decode(b.subarray(8, 8 + n));
    const tokens = [...text.matchAll(/"[^"]*"|-?\d+/g)];
    if (tokens.length === 0) return b;
    const t = pick(tokens);
    const repl = pick(ODD_TEXT.concat([String(Math.floor(r() * 1e6)), `"${pick(ODD_TEXT)}"`]));
    text = text.slice(0, t.index) + repl + text.slice(t.index! + t[0].length);
    const h = new TextEncoder().encode(text);
    const out = new Uint8Array(8 + h.length + (b.length - 8 - n));
    new DataView(out.buffer).setUint32(0, h.length, true);
    out.set(h, 8);
    out.set(b.subarray(8 + n), 8 + h.length);
    b = out;
  } else if (kind === 5) {
    // Data bytes added or removed at the end.
    const extra = Math.floor(r() * 16) - 8;
    const out = new Uint8Array(Math.max(0, b.length + extra));
    out.set(b.subarray(0, Math.min(b.length, out.length)));
    b = out;
  } else {
    // A slice of the file repeated inside it.
    const i = Math.floor(r() * b.length);
    const j = Math.min(b.length, i + Math.floor(r() * 32));
    const at = Math.floor(r() * b.length);
    b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(i, j), ...b.subarray(at)]);
  }
  return b;
}

function bytesHeld(tensors: Record<string, Tensor>): number {
  let n = 0;
  for (const k of Object.keys(tensors)) n += tensors[k]!.data.byteLength;
  return n;
}

describe('parseSafetensors fuzzing', () => {
  it('loads or refuses 3000 mutated files with a ValueError naming the file, each within a second and the bytes it holds', async () => {
    const r = rng(20261204);
    const check = new FuzzChecker();
    for (let i = 0; i < 3000; i++) {
      let bytes = SEEDS[i % SEEDS.length]!;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) bytes = mutate(bytes, r);
      const name = `fuzz-${i}.safetensors`;
      const load = () => {
        const { tensors } = parseSafetensors(bytes, { name });
        // Decoded data is at most 4 bytes per stored byte (U8 -> int32): never more than the file holds.
        if (bytesHeld(tensors) > 4 * bytes.length) check.problems.push(`${name}: holds ${bytesHeld(tensors)} bytes from a ${bytes.length}-byte file`);
      };
      await check.run(name, bytes.length, load, (message) => message.startsWith(`parseSafetensors: ${name}: `));
    }
    expect(check.problems.slice(0, 10)).toEqual([]);
    // The mutations are not all fatal: some files still load.
    expect(check.loaded).toBeGreaterThan(20);
  });
});

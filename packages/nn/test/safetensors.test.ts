import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, tensor, randn, manualSeed, noGrad, ValueError } from '@tapegrad/core';
import {
  serializeSafetensors, parseSafetensors, saveSafetensors, loadSafetensors, loadSafetensorsWithMetadata,
  Sequential, Linear, ReLU, BatchNorm1d,
} from '@tapegrad/nn';

/** Builds safetensors bytes by hand: 8-byte LE header length, the header text, then the data. */
function build(header: string | object, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function bytesOf(t: Tensor): Uint8Array {
  const d = t.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
}

function f32FromBits(bits: number[]): Tensor {
  const u = new Uint32Array(bits);
  return Tensor.fromData(new Float32Array(u.buffer), [bits.length], 'float32');
}

function f64FromBits(bits: bigint[]): Tensor {
  const u = new BigUint64Array(bits);
  return Tensor.fromData(new Float64Array(u.buffer), [bits.length], 'float64');
}

const tricky32 = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc00001, 0xffc12345, 0x7f800001, 0x00000001, 0x3f800000];
const tricky64 = [0n, 0x8000000000000000n, 0x7ff0000000000000n, 0x7ff8000000000001n, 0xfff0000000000abcn, 0x0000000000000001n, 0x3ff0000000000000n];

function allDtypes(): Record<string, Tensor> {
  return {
    f32: f32FromBits(tricky32).reshape([2, 5]),
    f64: f64FromBits(tricky64),
    i32: tensor([-2147483648, -1, 0, 1, 2147483647, 42], { dtype: 'int32', shape: [3, 2] }),
    mask: tensor([true, false, true]),
    scalar: tensor(3.5),
    empty: tensor([], { dtype: 'float32' }).reshape([0, 3]),
  };
}

function expectBitExact(a: Record<string, Tensor>, b: Record<string, Tensor>): void {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const k of Object.keys(a)) {
    expect(b[k]!.dtype, k).toBe(a[k]!.dtype);
    expect(b[k]!.shape, k).toEqual(a[k]!.shape);
    expect(bytesOf(b[k]!), k).toEqual(bytesOf(a[k]!));
  }
}

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tapegrad-st-'));
}

describe('serializeSafetensors / parseSafetensors', () => {
  it('round-trips every dtype bit-exactly, including NaN payloads, -0, infinities and denormals', () => {
    const src = allDtypes();
    const { tensors, metadata } = parseSafetensors(serializeSafetensors(src, { format: 'pt', note: 'hi' }));
    expectBitExact(src, tensors);
    expect(metadata).toEqual({ format: 'pt', note: 'hi' });
  });

  it('round-trips int32 tensors stored as I64 and U8 bit-exactly', () => {
    const big = tensor([-2147483648, -1, 0, 7, 2147483647], { dtype: 'int32' });
    const small = tensor([0, 1, 128, 255], { dtype: 'int32', shape: [2, 2] });
    const bytes = serializeSafetensors({ big, small }, undefined, { dtypes: { big: 'I64', small: 'U8' } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.big).toEqual({ dtype: 'I64', shape: [5], data_offsets: [0, 40] });
    expect(header.small).toEqual({ dtype: 'U8', shape: [2, 2], data_offsets: [40, 44] });
    const data = new DataView(bytes.buffer, 8 + n);
    expect([0, 1, 2, 3, 4].map((i) => data.getBigInt64(8 * i, true))).toEqual([-2147483648n, -1n, 0n, 7n, 2147483647n]);
    const { tensors } = parseSafetensors(bytes);
    expectBitExact({ big, small }, tensors);
  });

  it('refuses dtype overrides that would lose values', () => {
    expect(() => serializeSafetensors({ a: tensor([1.5]) }, undefined, { dtypes: { a: 'I64' } })).toThrow(
      /serializeSafetensors: cannot save "a" \(float32\) as I64; only int32 tensors can be saved as I64 or U8/,
    );
    expect(() => serializeSafetensors({ a: tensor([256], { dtype: 'int32' }) }, undefined, { dtypes: { a: 'U8' } })).toThrow(
      /"a" holds 256 at flat index 0, which does not fit in U8/,
    );
  });

  it('writes a space-padded header of a multiple of 8 bytes and aligned, contiguous data', () => {
    const bytes = serializeSafetensors({ b: tensor([1, 2, 3]), a: tensor([1], { dtype: 'float64' }), c: tensor([true]) });
    const dv = new DataView(bytes.buffer);
    const n = Number(dv.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text[0]).toBe('{');
    expect(text.trimEnd().length + (n - text.trimEnd().length)).toBe(n);
    expect(/^ *$/.test(text.slice(text.trimEnd().length))).toBe(true);
    const header = JSON.parse(text);
    // Larger elements first, then by name: a (F64) [0,8], b (F32) [8,20], c (BOOL) [20,21].
    expect(header.a).toEqual({ dtype: 'F64', shape: [1], data_offsets: [0, 8] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [3], data_offsets: [8, 20] });
    expect(header.c).toEqual({ dtype: 'BOOL', shape: [1], data_offsets: [20, 21] });
    expect(bytes.length).toBe(8 + n + 21);
    expect(new DataView(bytes.buffer, 8 + n).getFloat32(8, true)).toBe(1);
  });

  it('saves a non-contiguous tensor as its row-major elements', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]).T;
    const { tensors } = parseSafetensors(serializeSafetensors({ t }));
    expect(tensors.t!.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('loads a file whose bytes were written by hand, with I64, U8, BOOL, F16, BF16 and metadata', () => {
    const data = new Uint8Array(8 + 16 + 2 + 3 + 4 + 4);
    const dv = new DataView(data.buffer);
    dv.setFloat32(0, 1.5, true);
    dv.setFloat32(4, -2.25, true);
    dv.setBigInt64(8, -7n, true);
    dv.setBigInt64(16, 2147483647n, true);
    data.set([0, 255], 24); // U8
    data.set([1, 0, 1], 26); // BOOL
    dv.setUint16(29, 0x3c00, true); // F16 1.0
    dv.setUint16(31, 0xc100, true); // F16 -2.5
    dv.setUint16(33, 0x3f80, true); // BF16 1.0
    dv.setUint16(35, 0xc020, true); // BF16 -2.5
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
      '"n":{"dtype":"I64","shape":[2],"data_offsets":[8,24]},' +
      '"u":{"dtype":"U8","shape":[2],"data_offsets":[24,26]},' +
      '"m":{"dtype":"BOOL","shape":[3],"data_offsets":[26,29]},' +
      '"h":{"dtype":"F16","shape":[2],"data_offsets":[29,33]},' +
      '"bf":{"dtype":"BF16","shape":[2],"data_offsets":[33,37]}}';
    const { tensors, metadata } = parseSafetensors(build(header, data));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.w!.dtype).toBe('float32');
    expect(tensors.w!.toArray()).toEqual([[1.5], [-2.25]]);
    expect(tensors.n!.dtype).toBe('int32');
    expect(tensors.n!.toArray()).toEqual([-7, 2147483647]);
    expect(tensors.u!.dtype).toBe('int32');
    expect(tensors.u!.toArray()).toEqual([0, 255]);
    expect(tensors.m!.dtype).toBe('bool');
    expect(tensors.m!.toArray()).toEqual([true, false, true]);
    expect(tensors.h!.toArray()).toEqual([1, -2.5]);
    expect(tensors.bf!.toArray()).toEqual([1, -2.5]);
  });

  it('loads a header with trailing spaces and a scalar tensor', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat64(0, Math.PI, true);
    const { tensors } = parseSafetensors(build('{"pi":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}      ', data));
    expect(tensors.pi!.shape).toEqual([]);
    expect(tensors.pi!.item()).toBe(Math.PI);
  });

  it('rejects the reserved name and non-string metadata when saving', () => {
    expect(() => serializeSafetensors({ __metadata__: tensor([1]) })).toThrow(/serializeSafetensors: invalid tensor name "__metadata__"/);
    expect(() => serializeSafetensors({ a: tensor([1]) }, { epoch: 3 as unknown as string })).toThrow(
      /metadata value for "epoch" must be a string/,
    );
    expect(() => serializeSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow(/value for "a" is not a Tensor/);
  });
});

describe('names and keys taken from the file', () => {
  it('keeps a tensor and a metadata key named "__proto__" (and "constructor") through a round trip', () => {
    const src: Record<string, Tensor> = Object.create(null) as Record<string, Tensor>;
    src['__proto__'] = tensor([1, 2]);
    src['constructor'] = tensor([3]);
    const meta = JSON.parse('{"__proto__":"x","toString":"y"}') as Record<string, string>;
    const { tensors, metadata } = parseSafetensors(serializeSafetensors(src, meta));
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'constructor']);
    expect(tensors['__proto__']!.toArray()).toEqual([1, 2]);
    expect(tensors['constructor']!.toArray()).toEqual([3]);
    expect(Object.keys(metadata).sort()).toEqual(['__proto__', 'toString']);
    expect(metadata['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(tensors)).toBe(null);
    expect(Object.getPrototypeOf(metadata)).toBe(null);
  });

  it('loads a hand-written file with a tensor named "__proto__"', () => {
    const bytes = build('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(new Float32Array([5]).buffer));
    const { tensors } = parseSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(tensors['__proto__']!.toArray()).toEqual([5]);
  });

  it('does not take an inherited property of the dtypes option as an override', () => {
    const bytes = serializeSafetensors({ valueOf: tensor([1], { dtype: 'int32' }) }, undefined, { dtypes: {} });
    expect(parseSafetensors(bytes).tensors['valueOf']!.dtype).toBe('int32');
  });
});

describe('parseSafetensors on malformed input', () => {
  const f32 = (n: number) => new Uint8Array(4 * n);
  const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
  const bad = (bytes: Uint8Array, pattern: RegExp) => {
    expect(() => parseSafetensors(bytes, { name: 'm.safetensors' })).toThrow(ValueError);
    expect(() => parseSafetensors(bytes, { name: 'm.safetensors' })).toThrow(pattern);
  };

  it('rejects a file shorter than the 8-byte length prefix', () => {
    bad(new Uint8Array(5), /^parseSafetensors: m\.safetensors: file is 5 bytes, too small/);
  });

  it('rejects a header length beyond the file size', () => {
    bad(build({ a: entry('F32', [1], [0, 4]) }, f32(1), 4096n), /header length 4096 exceeds the file size minus 8 \(\d+ bytes\)/);
  });

  it('rejects an absurd header length without allocating it', () => {
    bad(build({}, new Uint8Array(0), 1n << 40n), /header length 1099511627776 exceeds the limit of 100000000 bytes/);
    bad(build({}, new Uint8Array(0), 200_000_000n), /exceeds the limit of 100000000 bytes/);
  });

  it('rejects a header that is not JSON, not UTF-8, or not an object', () => {
    bad(build('{"a": {"dtype": "F32",'), /header is not valid JSON/);
    const latin = build('{"a":1}');
    latin[10] = 0xff;
    bad(latin, /header is not valid UTF-8/);
    bad(build('[1, 2, 3]'), /header must be a JSON object/);
  });

  it('rejects an unknown dtype', () => {
    bad(build({ a: entry('F7', [1], [0, 4]) }, f32(1)), /tensor "a": unsupported dtype "F7" \(supported: /);
    bad(build({ a: entry('C64', [1], [0, 8]) }, f32(2)), /unsupported dtype "C64"/);
  });

  it('rejects a shape that disagrees with the byte size', () => {
    bad(build({ a: entry('F32', [2, 3], [0, 16]) }, f32(4)), /tensor "a": shape \[2,3\] of dtype F32 needs 24 bytes but data_offsets \[0,16\] span 16/);
  });

  it('rejects negative or non-integer shape entries', () => {
    bad(build({ a: entry('F32', [-1, 4], [0, 16]) }, f32(4)), /tensor "a": shape must be an array of non-negative integers, got \[-1,4\]/);
    bad(build({ a: entry('F32', [1.5], [0, 4]) }, f32(1)), /shape must be an array of non-negative integers, got \[1.5\]/);
    bad(build({ a: entry('F32', '4', [0, 16]) }, f32(4)), /shape must be an array/);
  });

  it('rejects offsets out of range, reversed or malformed', () => {
    bad(build({ a: entry('F32', [4], [0, 16]) }, f32(2)), /tensor "a": data_offsets \[0,16\] are out of range: the data section holds 8 bytes/);
    bad(build({ a: entry('F32', [0], [8, 4]) }, f32(2)), /data_offsets \[8,4\] end before they begin/);
    bad(build({ a: entry('F32', [1], [0]) }, f32(1)), /data_offsets must be \[begin, end\]/);
    bad(build({ a: entry('F32', [1], [-4, 0]) }, f32(1)), /data_offsets must be \[begin, end\] with non-negative integers/);
  });

  it('rejects overlapping tensors', () => {
    bad(build({ a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }, f32(3)), /tensor "b" \(bytes 4\.\.12\) overlaps tensor "a"/);
  });

  it('rejects holes between tensors and bytes after the last one', () => {
    bad(build({ a: entry('F32', [1], [0, 4]), b: entry('F32', [1], [8, 12]) }, f32(3)), /bytes 4\.\.8 of the data section belong to no tensor/);
    bad(build({ a: entry('F32', [1], [0, 4]) }, f32(2)), /the data section holds 8 bytes but the tensors cover only 4/);
  });

  it('rejects a name given twice', () => {
    bad(build('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), /header names "a" more than once/);
  });

  it('rejects metadata that is not a map of strings', () => {
    bad(build({ __metadata__: { epoch: 3 } }), /__metadata__ value for "epoch" must be a string/);
    bad(build({ __metadata__: [1] }), /__metadata__ must be an object of strings/);
  });

  it('rejects I64 values that do not fit in int32 and BOOL bytes other than 0 and 1', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 3000000000n, true);
    bad(build({ n: entry('I64', [1], [0, 8]) }, big), /tensor "n" \(I64\) holds 3000000000 at flat index 0, which does not fit in int32/);
    bad(build({ m: entry('BOOL', [2], [0, 2]) }, new Uint8Array([1, 2])), /tensor "m" \(BOOL\) holds byte 2 at flat index 1; expected 0 or 1/);
  });

  it('rejects an entry that is not an object', () => {
    bad(build({ a: 5 }), /tensor "a": entry must be an object/);
  });

  it('names an own-property dtype check: "valueOf" and "__proto__" are unknown dtypes', () => {
    bad(build({ a: entry('valueOf', [1], [0, 4]) }, f32(1)), /tensor "a": unsupported dtype "valueOf" \(supported: F64, F32/);
    bad(build({ a: entry('__proto__', [1], [0, 4]) }, f32(1)), /tensor "a": unsupported dtype "__proto__"/);
    bad(build({ a: entry('toString', [1], [0, 4]) }, f32(1)), /unsupported dtype "toString"/);
  });

  it('refuses 100,000 nested arrays with a ValueError naming the file, not a stack overflow', () => {
    const deep = '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    bad(build(deep), /^parseSafetensors: m\.safetensors: header nests objects or arrays 4 deep at character 7; a safetensors header nests at most 3/);
    bad(build('{"__metadata__":{"k":{"x":"y"}}}'), /__metadata__ value for "k" must be a string/);
    bad(build('[[[[[[[['), /header nests objects or arrays 4 deep/);
  });

  it('still reports an unterminated string or a bad escape as invalid JSON', () => {
    bad(build('{"a'), /header is not valid JSON/);
    bad(build('{"\\q":1}'), /header is not valid JSON/);
  });

  it('refuses a shape of more than 64 dims before creating a tensor', () => {
    bad(build({ a: entry('F32', new Array(65).fill(1), [0, 4]) }, f32(1)), /tensor "a": shape has 65 dims; at most 64 are supported/);
    bad(build({ a: entry('F32', new Array(1000).fill(1), [0, 4]) }, f32(1)), /shape has 1000 dims/);
    expect(parseSafetensors(build({ a: entry('F32', new Array(64).fill(1), [0, 4]) }, f32(1))).tensors.a!.shape.length).toBe(64);
  });
});

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips every dtype through a file bit-exactly', async () => {
    const dir = await tmp();
    try {
      const src = allDtypes();
      const path = join(dir, 'all.safetensors');
      await saveSafetensors(src, path, { metadata: { format: 'pt' } });
      expectBitExact(src, await loadSafetensors(path));
      expect((await loadSafetensorsWithMetadata(path)).metadata).toEqual({ format: 'pt' });
      expect(await readdir(dir)).toEqual(['all.safetensors']); // no temporary file left
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replaces an existing file atomically and leaves it intact when saving fails', async () => {
    const dir = await tmp();
    try {
      const path = join(dir, 'w.safetensors');
      await saveSafetensors({ a: tensor([1, 2]) }, path);
      const before = await readFile(path);
      await expect(saveSafetensors({ a: 'oops' as unknown as Tensor }, path)).rejects.toThrow(/not a Tensor/);
      expect(await readFile(path)).toEqual(before);
      await saveSafetensors({ a: tensor([3, 4, 5]) }, path);
      expect((await loadSafetensors(path)).a!.toArray()).toEqual([3, 4, 5]);
      expect(await readdir(dir)).toEqual(['w.safetensors']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removes the temporary files of killed saves to the same file, but not those of a live process', async () => {
    const dir = await tmp();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      const stale = join(dir, `.m.safetensors.${dead}.abc123.tmp`);
      const busy = join(dir, `.m.safetensors.${live.pid}.def456.tmp`);
      const mine = join(dir, `.m.safetensors.${process.pid}.ghi789.tmp`);
      const other = join(dir, `.n.safetensors.${dead}.abc123.tmp`);
      for (const p of [stale, busy, mine, other]) await writeFile(p, new Uint8Array(1000));
      await saveSafetensors({ w: tensor([1]) }, join(dir, 'm.safetensors'));
      expect((await readdir(dir)).sort()).toEqual([`.m.safetensors.${live.pid}.def456.tmp`, `.m.safetensors.${process.pid}.ghi789.tmp`, `.n.safetensors.${dead}.abc123.tmp`, 'm.safetensors'].sort());
    } finally {
      live.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file in errors about a corrupt file', async () => {
    const dir = await tmp();
    try {
      const path = join(dir, 'bad.safetensors');
      await writeFile(path, build({ a: entry() }, new Uint8Array(4), 1n << 33n));
      await expect(loadSafetensors(path)).rejects.toThrow(new RegExp(`loadSafetensors: ${path.replace(/[.\\]/g, '\\$&')}: header length 8589934592 exceeds`));
      await writeFile(path, build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)));
      await expect(loadSafetensors(path)).rejects.toThrow(/bad\.safetensors: tensor "a": data_offsets \[0,8\] are out of range/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    function entry() {
      return { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
    }
  });

  it('restores a state dict into a fresh model with identical outputs', async () => {
    const dir = await tmp();
    try {
      manualSeed(3);
      const make = () => new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 3));
      const a = make();
      a.call(randn([6, 4])); // a training step moves the running statistics
      const path = join(dir, 'model.safetensors');
      await saveSafetensors(a.stateDict(), path);
      const b = make();
      b.loadStateDict(await loadSafetensors(path));
      a.eval();
      b.eval();
      const x = randn([5, 4]);
      const ya = noGrad(() => a.call(x));
      const yb = noGrad(() => b.call(x));
      expect(bytesOf(yb)).toEqual(bytesOf(ya));
      expect(b.stateDict()['1.num_batches_tracked']!.item()).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { Tensor, ValueError, type DType, type TypedArray } from '@tapegrad/core';

// The safetensors format (https://github.com/huggingface/safetensors):
//   8 bytes   N, the header length, unsigned 64-bit little-endian
//   N bytes   a UTF-8 JSON object { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {..} },
//             padded with spaces (the reference pads to a multiple of 8, keeping the data aligned)
//   rest      the tensors' bytes, row-major little-endian, data_offsets relative to the start of this part.
// The byte buffer must be covered exactly by the tensors: no overlaps, no holes, nothing after the last.

/**
 * Safetensors dtype names this package reads: F64, F32, I32, I64, U8, BOOL, and F16/BF16 (read as
 * float32). {@link serializeSafetensors} writes F64, F32, I32 and BOOL, and I64 or U8 for int32
 * tensors on request.
 *
 * @example
 * const dtypes: Record<string, SafetensorsDType> = { step: 'I64' };
 * const bytes = serializeSafetensors({ step: tensor([3], { dtype: 'int32' }) }, undefined, { dtypes });
 * parseSafetensors(bytes).tensors.step!.dtype; // 'int32' (I64 is read back as int32)
 */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8' | 'BOOL';

/**
 * A mapping of names to tensors, as a plain object or a Map.
 *
 * @example
 * const m: TensorMap = new Map([['w', ones([2])]]);
 * Object.keys(parseSafetensors(serializeSafetensors(m)).tensors); // ['w']
 */
export type TensorMap = Record<string, Tensor> | Map<string, Tensor>;

/**
 * The contents of a safetensors file.
 *
 * @example
 * const c: SafetensorsContents = parseSafetensors(serializeSafetensors({ w: ones([2]) }, { note: 'hi' }));
 * c.metadata; // { note: 'hi' }
 * c.tensors.w!.toArray(); // [1, 1]
 */
export interface SafetensorsContents {
  /**
   * The tensors by name, in the order of their data in the file. Like `metadata`, an object
   * without a prototype, so every name in the file (`__proto__` too) is an own key.
   */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (empty if the file has none). */
  metadata: Record<string, string>;
}

/**
 * Largest header accepted, as in the reference implementation: 100 MB.
 *
 * @example
 * MAX_HEADER_BYTES; // 100000000
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** Most dims a tensor may have in a file read here (PyTorch allows 64 too). */
const MAX_DIMS = 64;

/**
 * Deepest nesting a valid header has: the header object, a tensor's entry object, its shape or
 * data_offsets array (metadata values are strings, one level less).
 */
const MAX_HEADER_DEPTH = 3;

const ITEM_SIZE: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1, BOOL: 1 };
const LOADED_AS: Record<SafetensorsDType, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float32', BF16: 'float32', I64: 'int32', I32: 'int32', U8: 'int32', BOOL: 'bool',
};
const SAVED_AS: Record<DType, SafetensorsDType> = { float64: 'F64', float32: 'F32', int32: 'I32', bool: 'BOOL' };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function entriesOf(tensors: TensorMap): Array<[string, Tensor]> {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/** The bytes of a tensor's elements, row-major little-endian. */
function tensorBytes(t: Tensor): Uint8Array {
  const data = t.data; // a view when contiguous, so NaN payloads and -0 survive
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float64Array) dv.setFloat64(i * 8, data[i]!, true);
    else if (data instanceof Float32Array) dv.setFloat32(i * 4, data[i]!, true);
    else dv.setInt32(i * 4, data[i]!, true);
  }
  return out;
}

/**
 * Options of {@link serializeSafetensors} and {@link saveSafetensors}.
 *
 * @example
 * const opts: SerializeOptions = { dtypes: { pixels: 'U8' } };
 * const bytes = serializeSafetensors({ pixels: tensor([0, 255], { dtype: 'int32' }) }, undefined, opts);
 * bytes.length; // 74 (8 + a 58-byte JSON header padded to 64 + 2 bytes of data)
 */
export interface SerializeOptions {
  /**
   * Store some int32 tensors as I64 (PyTorch's default integer type, e.g. for
   * `num_batches_tracked`) or U8 (values must lie in 0..255), by name.
   */
  dtypes?: Record<string, SafetensorsDType>;
}

/** The bytes of an int32 tensor as I64 (sign-extended) or U8 (range-checked), little-endian. */
function widenOrNarrow(op: string, name: string, t: Tensor, dtype: 'I64' | 'U8'): Uint8Array {
  const data = t.data;
  if (dtype === 'U8') {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < 0 || v > 255) throw new ValueError(`${op}: "${name}" holds ${v} at flat index ${i}, which does not fit in U8`);
      out[i] = v;
    }
    return out;
  }
  const out = new Uint8Array(data.length * 8);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) dv.setBigInt64(i * 8, BigInt(data[i]!), true);
  return out;
}

/**
 * Encodes tensors in the safetensors format (the bytes `save_file` of the safetensors library
 * writes). float32 -> F32, float64 -> F64, int32 -> I32, bool -> BOOL. Tensors are laid out by
 * decreasing element size, then by name, so every tensor's data is aligned; the header is padded
 * with spaces to a multiple of 8 bytes.
 *
 * @param metadata - free-form string pairs stored under `__metadata__`
 * @param opts.dtypes - per-name overrides: int32 tensors may be stored as `'I64'` or `'U8'`
 * @throws ValueError for a name `__metadata__`, a value that is not a Tensor, non-string metadata,
 *   or an impossible dtype override
 * @example
 * const bytes = serializeSafetensors(new Linear(2, 1).stateDict(), { format: 'pt' });
 * const { tensors, metadata } = parseSafetensors(bytes);
 * Object.keys(tensors); // ['bias', 'weight']
 * metadata; // { format: 'pt' }
 */
export function serializeSafetensors(
  tensors: TensorMap,
  metadata?: Record<string, string>,
  opts: SerializeOptions = {},
): Uint8Array {
  const op = 'serializeSafetensors';
  const items = entriesOf(tensors).map(([name, t]) => {
    if (typeof name !== 'string' || name === '__metadata__')
      throw new ValueError(`${op}: invalid tensor name ${JSON.stringify(name)} ("__metadata__" is reserved)`);
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: value for "${name}" is not a Tensor`);
    const want = opts.dtypes !== undefined && Object.hasOwn(opts.dtypes, name) ? opts.dtypes[name] : undefined;
    if (want === undefined || want === SAVED_AS[t.dtype]) return { name, t, dtype: SAVED_AS[t.dtype] };
    if (t.dtype !== 'int32' || (want !== 'I64' && want !== 'U8'))
      throw new ValueError(`${op}: cannot save "${name}" (${t.dtype}) as ${want}; only int32 tensors can be saved as I64 or U8`);
    return { name, t, dtype: want };
  });
  items.sort((a, b) => ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // No prototype, so a tensor named "__proto__" is an entry like any other.
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string') throw new ValueError(`${op}: metadata value for "${k}" must be a string, got ${typeof v}`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const { name, t, dtype } of items) {
    const bytes = dtype === 'I64' || dtype === 'U8' ? widenOrNarrow(op, name, t, dtype) : tensorBytes(t);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true);
  dv.setUint32(4, 0, true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * The names of the top-level keys of a JSON object text, in order (JSON.parse hides duplicates).
 * Runs before JSON.parse: it refuses nesting deeper than a valid header's, so a hostile header
 * of many nested brackets cannot overflow JSON.parse's stack. Malformed text it lets through
 * (an unterminated string, unbalanced brackets) is left for JSON.parse to report.
 */
function topLevelKeys(fail: (msg: string) => never, text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) break;
      if (depth === 1 && expectKey) {
        try {
          keys.push(JSON.parse(text.slice(i, j + 1)) as string);
        } catch {
          break; // a bad escape: JSON.parse of the whole text says where
        }
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth > MAX_HEADER_DEPTH)
        fail(`header nests objects or arrays ${depth} deep at character ${i}; a safetensors header nests at most ${MAX_HEADER_DEPTH} (header, tensor entry, shape)`);
      if (depth === 1 && c === '{') expectKey = true;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

/** Reads and checks the header length N from the first 8 bytes of a file of `fileSize` bytes. */
function headerLength(fail: (msg: string) => never, dv: DataView, fileSize: number): number {
  const n = dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
  if (n > MAX_HEADER_BYTES) fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (n > fileSize - 8) fail(`header length ${n} exceeds the file size minus 8 (${fileSize - 8} bytes); the file is truncated or corrupt`);
  if (n < 2) fail(`header length ${n} is too small for a JSON object`);
  return n;
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function failer(op: string, source: string): (msg: string) => never {
  return (msg: string): never => {
    throw new ValueError(`${op}: ${source}: ${msg}`);
  };
}

function parse(op: string, source: string, bytes: Uint8Array): SafetensorsContents {
  const fail = failer(op, source);
  if (!(bytes instanceof Uint8Array)) fail('expected the file contents as a Uint8Array');
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too small to hold the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = headerLength(fail, dv, bytes.length);

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('header is not valid UTF-8');
  }
  const keys = topLevelKeys(fail, text);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header must be a JSON object');
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) fail(`header names "${k}" more than once`);
    seen.add(k);
  }

  // Results without a prototype: names come from the file, and "__proto__" must stay a name.
  const metadata = Object.create(null) as Record<string, string>;
  const entries: Entry[] = [];
  const dataLen = bytes.length - 8 - n;
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value for "${k}" must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const where = `tensor "${name}"`;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`${where}: entry must be an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !Object.hasOwn(ITEM_SIZE, dtype))
      fail(`${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(ITEM_SIZE).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if ((shape as number[]).length > MAX_DIMS)
      fail(`${where}: shape has ${(shape as number[]).length} dims; at most ${MAX_DIMS} are supported`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0))
      fail(`${where}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`${where}: data_offsets [${begin},${end}] end before they begin`);
    if (end > dataLen) fail(`${where}: data_offsets [${begin},${end}] are out of range: the data section holds ${dataLen} bytes`);
    let numel = 1;
    for (const d of shape as number[]) {
      numel *= d;
      if (numel > Number.MAX_SAFE_INTEGER) fail(`${where}: shape ${JSON.stringify(shape)} has too many elements`);
    }
    const size = numel * ITEM_SIZE[dtype as SafetensorsDType];
    if (size !== end - begin)
      fail(`${where}: shape ${JSON.stringify(shape)} of dtype ${dtype} needs ${size} bytes but data_offsets [${begin},${end}] span ${end - begin}`);
    entries.push({ name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end });
  }

  // The tensors must tile the data section exactly.
  const order = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev = '';
  for (const e of order) {
    if (e.begin < pos) fail(`tensor "${e.name}" (bytes ${e.begin}..${e.end}) overlaps tensor "${prev}" (which ends at ${pos})`);
    if (e.begin > pos) fail(`bytes ${pos}..${e.begin} of the data section belong to no tensor (a hole before tensor "${e.name}")`);
    pos = e.end;
    prev = e.name;
  }
  if (pos !== dataLen) fail(`the data section holds ${dataLen} bytes but the tensors cover only ${pos}`);

  const tensors = Object.create(null) as Record<string, Tensor>;
  const base = 8 + n;
  for (const e of order) tensors[e.name] = decode(fail, e, bytes.subarray(base + e.begin, base + e.end));
  return { tensors, metadata };
}

function decode(fail: (msg: string) => never, e: Entry, raw: Uint8Array): Tensor {
  const count = raw.length / ITEM_SIZE[e.dtype];
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dtype = LOADED_AS[e.dtype];
  let data: TypedArray;
  switch (e.dtype) {
    case 'F64':
    case 'F32':
    case 'I32': {
      // Copy the bytes into a fresh (aligned) array; on a little-endian host this keeps every bit.
      const Ctor = e.dtype === 'F64' ? Float64Array : e.dtype === 'F32' ? Float32Array : Int32Array;
      const arr = new Ctor(count);
      if (LITTLE_ENDIAN) new Uint8Array(arr.buffer).set(raw);
      else
        for (let i = 0; i < count; i++)
          arr[i] = e.dtype === 'F64' ? dv.getFloat64(i * 8, true) : e.dtype === 'F32' ? dv.getFloat32(i * 4, true) : dv.getInt32(i * 4, true);
      data = arr;
      break;
    }
    case 'I64': {
      const arr = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(i * 8, true);
        if (v < -2147483648n || v > 2147483647n)
          fail(`tensor "${e.name}" (I64) holds ${v} at flat index ${i}, which does not fit in int32`);
        arr[i] = Number(v);
      }
      data = arr;
      break;
    }
    case 'U8':
      data = Int32Array.from(raw);
      break;
    case 'BOOL': {
      for (let i = 0; i < count; i++)
        if (raw[i]! > 1) fail(`tensor "${e.name}" (BOOL) holds byte ${raw[i]} at flat index ${i}; expected 0 or 1`);
      data = Uint8Array.from(raw);
      break;
    }
    case 'F16':
    case 'BF16': {
      const arr = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const h = dv.getUint16(i * 2, true);
        arr[i] = e.dtype === 'BF16' ? bf16ToFloat(h) : f16ToFloat(h);
      }
      data = arr;
      break;
    }
  }
  return Tensor.fromData(data, e.shape, dtype);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

function bf16ToFloat(h: number): number {
  u32Scratch[0] = h << 16;
  return f32Scratch[0]!;
}

function f16ToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes safetensors bytes (the format of the safetensors library's `load` / `load_file`).
 * F32 -> float32, F64 -> float64, I32 -> int32, I64 -> int32 (each value range-checked),
 * U8 -> int32, BOOL -> bool, F16 and BF16 -> float32.
 *
 * Every check runs before any tensor is allocated, so a hostile file cannot exhaust memory: the
 * header length must fit the file and be at most 100 MB; the header must be UTF-8 JSON without
 * duplicate names, nested at most 3 deep (checked before JSON.parse, whose recursion a hostile
 * header could overflow); each entry needs a known dtype, a shape of at most 64 non-negative integers and
 * data_offsets whose span equals the shape's byte size; the tensors must tile the data section
 * exactly (no overlap, no hole, nothing after the last).
 *
 * @param opts.name - how to name the source in error messages (default `<bytes>`)
 * @throws ValueError `parseSafetensors: <bytes>: header length 4096 exceeds the file size minus 8 (100 bytes); ...`
 * @example
 * const bytes = serializeSafetensors({ w: tensor([[1, 2], [3, 4]]) });
 * parseSafetensors(bytes).tensors.w!.toArray(); // [[1, 2], [3, 4]]
 * // in a browser: parseSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()))
 */
export function parseSafetensors(bytes: Uint8Array, opts: { name?: string } = {}): SafetensorsContents {
  return parse('parseSafetensors', opts.name ?? '<bytes>', bytes);
}

/**
 * A Node.js built-in module, loaded when a file function is called. The name is not a literal
 * in an `import()`, so bundlers building for the browser leave it alone (the rest of this
 * package runs in browsers); outside Node the caller gets a clear error instead.
 */
async function nodeModule<T>(fn: string, name: string): Promise<T> {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (n: string) => unknown } }).process;
  if (!proc?.versions?.node) {
    throw new Error(`${fn}: files need Node.js; in a browser use serializeSafetensors / parseSafetensors on bytes`);
  }
  const builtin = proc.getBuiltinModule?.(name);
  if (builtin !== undefined) return builtin as T;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as T;
}

/** True unless no process has this id (a process we may not signal still exists). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary files that saves of `base` killed mid-write left in `dir`
 * (`.<base>.<pid>.<random>.tmp` whose writer process no longer exists). Files of a live process,
 * this one included, may be a save in progress and stay. Best effort: errors are ignored.
 */
async function removeStaleTemps(
  fs: typeof import('node:fs/promises'),
  nodePath: typeof import('node:path'),
  dir: string,
  base: string,
): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-z]*\.tmp$/.exec(name.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0 || processExists(pid)) continue;
    await fs.rm(nodePath.join(dir, name), { force: true }).catch(() => undefined);
  }
}

/**
 * Writes tensors to a safetensors file (like the safetensors library's `save_file`), atomically:
 * the bytes go to a temporary file in the same directory, which is flushed to disk and then
 * renamed over `path`, so a crash never leaves a half-written file in its place. The temporary
 * files of earlier saves to `path` that were killed mid-write (`.<name>.<pid>.<random>.tmp`,
 * whose process no longer exists) are removed first.
 * Node.js only (loads `node:fs` when called); returns a Promise.
 *
 * @throws ValueError as {@link serializeSafetensors}; the file system's errors otherwise
 * @example
 * import { tmpdir } from 'node:os';
 * const model = new Sequential(new Linear(4, 2), new BatchNorm1d(2));
 * await saveSafetensors(model.stateDict(), `${tmpdir()}/tapegrad-mlp.safetensors`, { metadata: { epoch: '3' } });
 * // int32 counters as int64, as PyTorch writes them:
 * await saveSafetensors(model.stateDict(), `${tmpdir()}/tapegrad-mlp-i64.safetensors`, { dtypes: { '1.num_batches_tracked': 'I64' } });
 */
export async function saveSafetensors(
  tensors: TensorMap,
  path: string,
  opts: SerializeOptions & { metadata?: Record<string, string> } = {},
): Promise<void> {
  const bytes = serializeSafetensors(tensors, opts.metadata, opts);
  const fs = await nodeModule<typeof import('node:fs/promises')>('saveSafetensors', 'node:fs/promises');
  const nodePath = await nodeModule<typeof import('node:path')>('saveSafetensors', 'node:path');
  const dir = nodePath.dirname(path);
  const base = nodePath.basename(path);
  await removeStaleTemps(fs, nodePath, dir, base);
  const tmp = nodePath.join(dir, `.${base}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fh = await fs.open(tmp, 'wx');
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  // Make the rename itself durable; not every platform can open a directory, so best effort.
  try {
    const dh = await fs.open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* directories cannot be fsynced on this platform */
  }
}

/**
 * Reads a safetensors file (like the safetensors library's `load_file`) with its metadata.
 * Node.js only; returns a Promise. See {@link parseSafetensors} for the dtypes and checks.
 *
 * @throws ValueError naming the file and the problem for a corrupt, truncated or hostile file
 * @example
 * import { tmpdir } from 'node:os';
 * const path = `${tmpdir()}/tapegrad-meta.safetensors`;
 * await saveSafetensors({ w: ones([2]) }, path, { metadata: { epoch: '3' } });
 * const { tensors, metadata } = await loadSafetensorsWithMetadata(path);
 * metadata; // { epoch: '3' }
 * tensors.w!.toArray(); // [1, 1]
 */
export async function loadSafetensorsWithMetadata(path: string): Promise<SafetensorsContents> {
  const fs = await nodeModule<typeof import('node:fs/promises')>('loadSafetensors', 'node:fs/promises');
  const fh = await fs.open(path, 'r');
  try {
    const { size } = await fh.stat();
    // Check the header length against the file size before reading a byte more.
    if (size >= 8) {
      const head = new Uint8Array(8);
      await fh.read(head, 0, 8, 0);
      headerLength(failer('loadSafetensors', path), new DataView(head.buffer), size);
    }
    const bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(bytes, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return parse('loadSafetensors', path, bytes.subarray(0, off));
  } finally {
    await fh.close();
  }
}

/**
 * Reads the tensors of a safetensors file (like the safetensors library's `load_file`); a
 * `stateDict()` saved by PyTorch loads here and can go to {@link Module.loadStateDict}.
 * Node.js only; returns a Promise.
 *
 * @throws ValueError naming the file and the problem for a corrupt, truncated or hostile file
 * @example
 * import { tmpdir } from 'node:os';
 * const path = `${tmpdir()}/tapegrad-model.safetensors`;
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * await saveSafetensors(model.stateDict(), path);
 * const fresh = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * fresh.loadStateDict(await loadSafetensors(path)); // { missingKeys: [], unexpectedKeys: [] }
 */
export async function loadSafetensors(path: string): Promise<Record<string, Tensor>> {
  return (await loadSafetensorsWithMetadata(path)).tensors;
}


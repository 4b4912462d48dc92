// The IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/):
//   offset 0: magic number, 4 bytes: 0x00, 0x00, element type code, number of dims
//   offset 4: one big-endian uint32 size per dim
//   then the elements in row-major order, big-endian for multi-byte types.
import { ValueError, checkOptions, defineOptions, fmtShape, type OptionSpec } from '@tapegrad/core';
import { gunzip, readFileBytes } from './node-io.js';

/**
 * Element types of IDX files, by the name of their type code.
 *
 * @example
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]); // idx1 ubyte: magic, size 3, data
 * const type: IdxType = parseIdx(bytes, 'labels').type;
 * type; // 'ubyte'
 */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

/**
 * The typed arrays {@link parseIdx} returns, one per {@link IdxType}.
 *
 * @example
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]); // idx1 ubyte: magic, size 3, data
 * const data: IdxData = parseIdx(bytes, 'labels').data;
 * data instanceof Uint8Array; // true
 */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/**
 * A decoded IDX file.
 *
 * @example
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]); // idx1 ubyte: magic, size 3, data
 * const arr: IdxArray = parseIdx(bytes, 'labels');
 * arr.shape; // [3]
 */
export interface IdxArray {
  /** Element type from the magic number. */
  type: IdxType;
  /** Dimension sizes from the header, e.g. `[60000, 28, 28]`. */
  shape: number[];
  /** The elements in row-major order (for `ubyte`, a view of the input bytes: no copy). */
  data: IdxData;
}

/**
 * What {@link parseIdx} should insist on (else it throws naming the expected magic number).
 *
 * @example
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]); // idx1 ubyte: magic, size 3, data
 * const expect: IdxExpectation = { type: 'ubyte', ndim: 1 }; // a label file; an image file is ndim 3
 * parseIdx(bytes, 'labels', expect).shape; // [3]
 */
export interface IdxExpectation {
  /** Required element type. */
  type?: IdxType;
  /** Required number of dims (1 for `idx1` label files, 3 for `idx3` image files). */
  ndim?: number;
}

const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'ubyte', size: 1 },
  0x09: { type: 'byte', size: 1 },
  0x0b: { type: 'short', size: 2 },
  0x0c: { type: 'int', size: 4 },
  0x0d: { type: 'float', size: 4 },
  0x0e: { type: 'double', size: 8 },
};
const CODES: Record<IdxType, number> = { ubyte: 0x08, byte: 0x09, short: 0x0b, int: 0x0c, float: 0x0d, double: 0x0e };

/** Most dims an IDX file may declare (its header has room for 255; tensors take at most 64). */
const MAX_DIMS = 64;

const expectOptions = (fn: string): OptionSpec =>
  defineOptions(fn, { type: "'ubyte'|'byte'|'short'|'int'|'float'|'double'", ndim: 'integer' });
const SPECS: Record<string, OptionSpec> = {
  parseIdx: expectOptions('parseIdx'), decodeIdx: expectOptions('decodeIdx'), readIdx: expectOptions('readIdx'),
};

const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * True if `bytes` start with the gzip signature `1f 8b`.
 *
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8, 0])); // true
 * isGzip(new Uint8Array([0, 0, 8, 1])); // false
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes an uncompressed IDX file (see {@link decodeIdx} for gzip). Checks the magic number,
 * the header length, and that the data is exactly `prod(shape) * elementSize` bytes: no
 * truncated or padded file is accepted.
 *
 * - bytes - the whole file
 * - name - the file's name, used in error messages
 * - returns `{ type, shape, data }`; `ubyte` data is a view of `bytes`
 *
 * @throws ValueError naming `name` and the byte offset: `parseIdx: t10k-images-idx3-ubyte: wrong magic number 0x00000801 at offset 0 (expected 0x00000803: ubyte, 3 dims)`,
 *   `... truncated: ... at offset 16 ...`, a gzip file, an unknown type code
 * @example
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]); // idx1 ubyte: magic, size 3, data
 * const { type, shape, data } = parseIdx(bytes, 'train-labels-idx1-ubyte');
 * [type, shape]; // ['ubyte', [3]]
 * data; // [7, 2, 1]
 */
export function parseIdx(bytes: Uint8Array, name = '<bytes>', expect?: IdxExpectation): IdxArray {
  expect = checkOptions(SPECS.parseIdx!, expect);
  const fail = (msg: string): never => {
    throw new ValueError(`parseIdx: ${name}: ${msg}`);
  };
  if (isGzip(bytes)) fail('is gzip-compressed (starts with 1f 8b); decompress it first or use decodeIdx/readIdx');
  if (bytes.length < 4) fail(`truncated: ${bytes.length} bytes, too short for the 4-byte magic number at offset 0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const info = TYPES[bytes[2]!];
  const ndim = bytes[3]!;
  const expected =
    expect.type !== undefined || expect.ndim !== undefined
      ? (((CODES[expect.type ?? info?.type ?? 'ubyte'] << 8) | (expect.ndim ?? ndim)) >>> 0)
      : null;
  const expectedText = expected === null ? '' : ` (expected ${hex32(expected)}: ${expect.type ?? 'any type'}, ${expect.ndim ?? 'any number of'} dims)`;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !info || ndim === 0)
    fail(`wrong magic number ${hex32(magic)} at offset 0${expectedText || ' (expected 0x0000TTDD: type code TT in 08,09,0b,0c,0d,0e and DD >= 1 dims)'}`);
  if (expected !== null && magic !== expected) fail(`wrong magic number ${hex32(magic)} at offset 0${expectedText}`);
  if (ndim > MAX_DIMS) fail(`magic number ${hex32(magic)} at offset 0 declares ${ndim} dims; at most ${MAX_DIMS} are supported`);
  const header = 4 + 4 * ndim;
  if (bytes.length < header)
    fail(`truncated: the header of ${ndim} dims needs ${header} bytes, but the file ends at offset ${bytes.length}`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * info!.size;
  const have = bytes.length - header;
  if (have < need)
    fail(`truncated: shape ${fmtShape(shape)} of ${info!.type} needs ${need} data bytes from offset ${header} to ${header + need}, but the file ends at offset ${bytes.length}`);
  if (have > need)
    fail(`${have - need} unexpected bytes after the data, from offset ${header + need} (shape ${fmtShape(shape)} of ${info!.type} ends there)`);
  return { type: info!.type, shape, data: decodeElements(bytes, view, header, count, info!.type) };
}

function decodeElements(bytes: Uint8Array, view: DataView, start: number, n: number, type: IdxType): IdxData {
  switch (type) {
    case 'ubyte':
      return bytes.subarray(start, start + n);
    case 'byte':
      return new Int8Array(bytes.buffer, bytes.byteOffset + start, n).slice();
  }
  const out = type === 'short' ? new Int16Array(n) : type === 'int' ? new Int32Array(n) : type === 'float' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 'short': out[i] = view.getInt16(start + 2 * i, false); break;
      case 'int': out[i] = view.getInt32(start + 4 * i, false); break;
      case 'float': out[i] = view.getFloat32(start + 4 * i, false); break;
      case 'double': out[i] = view.getFloat64(start + 8 * i, false); break;
    }
  }
  return out;
}

/**
 * The size of an IDX file as its header declares it, from the file's first bytes: what
 * decompression may produce. `'stop'` for an invalid magic number (parseIdx reports it).
 */
function declaredSize(head: Uint8Array): number | 'stop' | undefined {
  if (head.length < 4) return undefined;
  const info = TYPES[head[2]!];
  const ndim = head[3]!;
  if (head[0] !== 0 || head[1] !== 0 || !info || ndim === 0 || ndim > MAX_DIMS) return 'stop';
  const header = 4 + 4 * ndim;
  if (head.length < header) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, header);
  let count = 1;
  for (let d = 0; d < ndim; d++) count *= view.getUint32(4 + 4 * d, false);
  return header + count * info.size;
}

/**
 * Decodes an IDX file that may be gzip-compressed (detected by its `1f 8b` signature), then
 * checks and parses it like {@link parseIdx}. Async because browsers decompress with
 * `DecompressionStream`; Node uses `node:zlib`. Decompression stops one chunk past the size the
 * header declares, so a small file that inflates to gigabytes is refused without holding them.
 *
 * @throws ValueError naming `name`: corrupt or truncated gzip data, data beyond the size the
 *   header declares, and every {@link parseIdx} error
 * @example
 * import { gzipSync } from 'node:zlib';
 * const gz = gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]));
 * (await decodeIdx(gz, 'labels-idx1-ubyte.gz')).data; // [7, 2, 1]
 * // in a browser: await decodeIdx(new Uint8Array(await (await fetch(url)).arrayBuffer()), url)
 */
export async function decodeIdx(bytes: Uint8Array, name = '<bytes>', expect?: IdxExpectation): Promise<IdxArray> {
  checkOptions(SPECS.decodeIdx!, expect);
  const raw = isGzip(bytes) ? await gunzip('decodeIdx', bytes, name, declaredSize) : bytes;
  return parseIdx(raw, name, expect);
}

/**
 * Reads and decodes an IDX file, raw or gzip-compressed (Node only).
 *
 * @throws ValueError `readIdx: cannot read <path>: no such file (ENOENT)`, and every {@link decodeIdx} error (naming the path)
 * @example
 * import { writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * const path = `${tmpdir()}/tapegrad-labels-idx1-ubyte`;
 * await writeFile(path, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]));
 * (await readIdx(path, { ndim: 1 })).shape; // [3]
 */
export async function readIdx(path: string, expect?: IdxExpectation): Promise<IdxArray> {
  checkOptions(SPECS.readIdx!, expect);
  return decodeIdx(await readFileBytes('readIdx', path), path, expect);
}

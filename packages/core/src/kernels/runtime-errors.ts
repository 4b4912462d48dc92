import { TapegradError } from '../errors.js';

// Errors of the kernels' runtime (memory, worker threads). They arise deep inside a backend,
// where the op being run is not known: the backend's entry points name it on the way out
// ({@link nameKernelErrors}), so that the message starts with the op like every other error.

/** A runtime error whose message starts with the op once it is known. */
abstract class KernelRuntimeError extends TapegradError {
  /** The op that was running (the kernel's name until the backend boundary names it). */
  op: string;

  constructor(
    op: string,
    /** The message without the op. */
    readonly detail: string,
  ) {
    super(`${op}: ${detail}`);
    this.op = op;
  }

  /** Names the op the error happened in, unless an inner boundary did already. @internal */
  nameOp(op: string, force = false): void {
    if (this.opNamed && !force) return;
    this.opNamed = true;
    this.op = op;
    this.message = `${op}: ${this.detail}`;
  }

  private opNamed = false;
}

/**
 * The WebAssembly kernels could not get the memory an op needed: their memory would pass its
 * limit (2 GiB), or the engine refused to grow it. Like PyTorch's `torch.OutOfMemoryError`.
 *
 * @example
 * // a [30000, 30000] float32 result is 3.6 GB, past the wasm kernels' 2 GiB
 * setBackend('wasm');
 * let caught: unknown;
 * try { matmul(zeros([1, 1]).expand([30000, 1]), zeros([1, 1]).expand([1, 30000])); } catch (e) { caught = e; }
 * (caught as TapegradError).name; // 'OutOfMemoryError'
 * (caught as TapegradError).message.startsWith('matmul: the WebAssembly kernels need 3600000000 bytes (3.4 GiB) more'); // true
 */
export class OutOfMemoryError extends KernelRuntimeError {
  constructor(
    op: string,
    /** The size in bytes of the block the op asked for. */
    readonly bytes: number,
    /** The size in bytes the memory would have had to grow to. */
    readonly needed: number,
    /** Its size when it failed to grow. */
    readonly held: number,
    /** The most it can hold. */
    readonly limit: number,
    /** Why it could not grow when `needed` is within `limit`. */
    reason = '',
  ) {
    super(
      op,
      `the WebAssembly kernels need ${bytes} bytes (${size(bytes)}) more, which would grow their memory from ${size(held)} to ${size(needed)}` +
        `${needed > limit ? `, past its limit of ${size(limit)}` : `, and ${reason}`}; use smaller batches or tensors`,
    );
  }
}

/**
 * A worker thread of the kernels' pool stopped during a job (see `setNumThreads`): the job is
 * abandoned and the pool starts afresh on the next large job.
 *
 * @example
 * // not run: a worker thread has to die during the product
 * const a = randn([512, 512]), b = randn([512, 512]);
 * let y: Tensor;
 * try {
 *   y = matmul(a, b); // matmul: worker 1 of the thread pool exited with code 1 during a job; the pool restarts on the next job
 * } catch (e) {
 *   if (!(e instanceof WorkerError)) throw e;
 *   y = matmul(a, b); // on a new pool
 * }
 */
export class WorkerError extends KernelRuntimeError {
  constructor(
    op: string,
    /** The worker's index in the pool (1 is the first worker; 0 is the calling thread). */
    readonly worker: number,
    /** Its exit code, or null if it failed without exiting (an uncaught error in a browser). */
    readonly exitCode: number | null,
  ) {
    super(
      op,
      `worker ${worker} of the thread pool ${exitCode === null ? 'failed' : `exited with code ${exitCode}`} during a job; the pool restarts on the next job`,
    );
  }
}

/** Bytes in binary units, as memory limits are: '512 MiB', '3.5 GiB'. */
function size(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

/**
 * Makes the kernels of `backend` (in place; those `only` accepts) name the op in the runtime
 * errors they throw: the op argument of `unary`, `binary`, `reduce`, ... (`'exp'`, `'add'`),
 * else the kernel's name (`'matmul'`, `'conv2d'`). @internal
 */
export function nameKernelErrors<B extends object>(backend: B, only: (key: string) => boolean = () => true): B {
  const b = backend as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    const f = b[key];
    if (typeof f !== 'function' || !only(key)) continue;
    b[key] = function (this: unknown, ...args: unknown[]): unknown {
      try {
        return (f as (...a: unknown[]) => unknown).apply(this, args);
      } catch (e) {
        if (e instanceof KernelRuntimeError) e.nameOp(typeof args[0] === 'string' ? args[0] : key);
        throw e;
      }
    };
  }
  return backend;
}

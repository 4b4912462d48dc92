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
 * The WebAssembly kernels could not get the memory an op needed: their memory is at its
 * maximum (2 GB) or the engine refused to grow it. Like PyTorch's `torch.OutOfMemoryError`.
 *
 * @example
 * const e = new OutOfMemoryError('conv2d', 4.2e9, 1.1e9, 2 ** 31);
 * e.message; // 'conv2d: the WebAssembly kernels could not grow their memory to 4.2 GB (they hold 1.1 GB, at most 2.1 GB); use smaller batches, or the js backend'
 * e.bytes; // 4200000000
 */
export class OutOfMemoryError extends KernelRuntimeError {
  constructor(
    op: string,
    /** The size in bytes the memory would have had to grow to. */
    readonly bytes: number,
    /** Its size when it failed to grow. */
    readonly held: number,
    /** The most it can hold. */
    readonly limit: number,
    reason = '',
  ) {
    super(
      op,
      `the WebAssembly kernels could not grow their memory to ${gb(bytes)} (they hold ${gb(held)}, at most ${gb(limit)}` +
        `${reason ? `; ${reason}` : ''}); use smaller batches, or the js backend`,
    );
  }
}

/**
 * A worker thread of the kernels' pool stopped during a job (see `setNumThreads`): the job is
 * abandoned and the pool starts afresh on the next large job.
 *
 * @example
 * const e = new WorkerError('matmul', 2, 1);
 * e.message; // 'matmul: worker 2 of the thread pool exited with code 1 during a job; the pool restarts on the next job'
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

function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
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

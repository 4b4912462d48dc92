import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

export { jsBackend };
import { wasmAvailable, wasmBackend } from './wasm/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeometry } from './backend.js';
export { setNumThreads, getNumThreads } from './wasm/threads.js';

const backends = new Map<string, Backend>([['js', jsBackend]]);
if (wasmAvailable()) backends.set('wasm', wasmBackend);
// The fastest available backend is the default: WebAssembly SIMD where the engine has it.
let current: Backend = backends.get('wasm') ?? jsBackend;

/** The backend the ops use now. @internal */
export function K(): Backend {
  return current;
}

/**
 * Makes a backend available to {@link setBackend} under `backend.name`. A backend implements
 * every kernel of {@link Backend}; wrapping an existing one is the easy way to start.
 *
 * @example
 * let products = 0;
 * registerBackend({ ...jsBackend, name: 'counting', matmul: (a, b, dt) => { products++; return jsBackend.matmul(a, b, dt); } });
 * setBackend('counting');
 * ones([2, 3]).matmul(ones([3, 4]));
 * products; // 1
 * setBackend('js');
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Chooses the kernels every op runs on: `'wasm'` (WebAssembly SIMD, the default where the
 * engine supports it), `'js'` (the pure TypeScript reference) or another registered backend.
 *
 * @throws Error `setBackend: unknown backend "gpu"; available: js, wasm`
 * @example
 * setBackend('js'); // reference kernels, e.g. to compare results
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend: unknown backend "${name}"; available: ${[...backends.keys()].join(', ')}`);
  current = b;
}

/**
 * The name of the backend in use.
 *
 * @example
 * setBackend('js');
 * getBackend(); // 'js'
 */
export function getBackend(): string {
  return current.name;
}

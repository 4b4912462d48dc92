import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeometry } from './backend.js';

const backends = new Map<string, Backend>([['js', jsBackend]]);
let current: Backend = jsBackend;

/** The backend the ops use now. @internal */
export function K(): Backend {
  return current;
}

/** Makes a backend available to {@link setBackend}. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Chooses the kernels every op runs on: `'js'` (the pure TypeScript reference) or another
 * registered backend.
 *
 * @throws Error `setBackend: unknown backend "gpu"; available: js`
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend: unknown backend "${name}"; available: ${[...backends.keys()].join(', ')}`);
  current = b;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return current.name;
}

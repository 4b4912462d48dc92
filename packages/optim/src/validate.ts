import { ValueError } from '@tapegrad/core';

// Hyper-parameter checks shared by the optimizers and schedulers. Every message starts with the
// owner's name, then says what is wrong, the value, and the option's key with the allowed range:
// `SGD: invalid learning rate: -1 (lr must be >= 0)`. `!(v >= 0)` also rejects NaN.

function show(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Throws unless `v` is a number >= 0. */
export function nonNegative(owner: string, what: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new ValueError(`${owner}: invalid ${what}: ${show(v)} (${key} must be >= 0)`);
}

/** Throws unless `v` is a number in [0, 1). */
export function unitHalfOpen(owner: string, what: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${owner}: invalid ${what}: ${show(v)} (${key} must be in [0, 1))`);
}

/** Throws unless `v` is an integer >= `min`. */
export function integerAtLeast(owner: string, what: string, key: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(`${owner}: invalid ${what}: ${show(v)} (${key} must be an integer >= ${min})`);
}

/** Throws unless `v` is a finite number. */
export function finite(owner: string, what: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${owner}: invalid ${what}: ${show(v)} (${key} must be a finite number)`);
}

/** Throws unless `v` is a boolean. */
export function boolean(owner: string, key: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new ValueError(`${owner}: invalid ${key}: ${show(v)} (${key} must be true or false)`);
}

/** Throws unless `v` is one of `allowed`. */
export function oneOf(owner: string, key: string, v: unknown, allowed: readonly string[]): void {
  if (typeof v !== 'string' || !allowed.includes(v))
    throw new ValueError(`${owner}: invalid ${key}: ${show(v)} (${key} must be ${allowed.map((a) => `'${a}'`).join(' or ')})`);
}

/** Throws unless `v` is a pair of numbers in [0, 1) (Adam's `betas`). */
export function betas(owner: string, v: unknown): void {
  if (!Array.isArray(v) || v.length !== 2)
    throw new ValueError(`${owner}: invalid betas: ${show(v)} (betas must be a pair [beta1, beta2])`);
  v.forEach((b, i) => unitHalfOpen(owner, `beta parameter at index ${i}`, `betas[${i}]`, b));
}

/** Checks the options every Adam-family optimizer has, in PyTorch's order: lr, eps, betas, weightDecay. */
export function adamFamily(owner: string, g: { lr: unknown; eps: unknown; betas: unknown; weightDecay: unknown }): void {
  nonNegative(owner, 'learning rate', 'lr', g.lr);
  nonNegative(owner, 'epsilon value', 'eps', g.eps);
  betas(owner, g.betas);
  nonNegative(owner, 'weight decay', 'weightDecay', g.weightDecay);
}

export { show as showValue };

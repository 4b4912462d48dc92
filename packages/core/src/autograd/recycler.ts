// A backward pass's side of the buffer pool (../buffer-pool.ts): which gradients' buffers it may
// hand back for reuse, and when. Kept apart from the reverse loop in backward.ts, which only
// reports what happens to each gradient.

import { beginRecyclingPass, endRecyclingPass, recycleBuffer } from '../buffer-pool.js';
import type { Tensor } from '../tensor.js';

/** The buffer behind a tensor. */
function bufferOf(t: Tensor): ArrayBufferLike {
  return t.storage.data.buffer;
}

/**
 * Returns the buffers of the gradients a backward pass has finished with to the buffer pool. A
 * buffer goes back when the gradient was issued during this pass, no pending gradient uses it,
 * and it was never {@link keep | kept}: the pass keeps the buffers of everything that leaves the
 * engine's hands (root gradients, what hooks see and return, retained and captured gradients,
 * leaf gradients, what a user-defined backward sees and returns). One recycler serves one pass,
 * from its construction to {@link close}. @internal
 */
export class GradientRecycler {
  /** The pool's count when the pass began: only buffers issued after it can go back. */
  private readonly since = beginRecyclingPass();
  private readonly kept = new Set<ArrayBufferLike>();
  /** How many pending gradients use each buffer. */
  private readonly live = new Map<ArrayBufferLike, number>();
  /** Gradients that died since the last sweep. */
  private readonly dead: Tensor[] = [];
  private open = true;

  /** `t` leaves the engine's hands: its buffer never goes back. */
  keep(t: Tensor): void {
    this.kept.add(bufferOf(t));
  }

  /** `t` became (+1) or stopped being (-1) a pending gradient. */
  hold(t: Tensor, by: 1 | -1): void {
    const b = bufferOf(t);
    const n = (this.live.get(b) ?? 0) + by;
    if (n > 0) this.live.set(b, n);
    else this.live.delete(b);
  }

  /** The pass no longer uses `t`; its buffer may go back at the next {@link sweep}. */
  died(t: Tensor): void {
    this.dead.push(t);
  }

  /** Returns the buffers of the gradients that died, unless a pending gradient uses them or they were kept. */
  sweep(): void {
    for (const t of this.dead) {
      const b = bufferOf(t);
      if (!this.live.has(b) && !this.kept.has(b)) recycleBuffer(b, this.since);
    }
    this.dead.length = 0;
  }

  /** Ends the pass: buffers issued from now on are not its own. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    endRecyclingPass();
  }
}

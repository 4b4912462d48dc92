import type { Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireInteger } from '../options.js';

/**
 * Flattens dims `startDim..endDim` into one (PyTorch's `nn.Flatten`; by default all but the batch dim).
 *
 * Shape: input [N, *dims] -> output [N, prod(*dims)] with the defaults (startDim = 1, endDim = -1).
 *
 * @example
 * new Flatten().call(randn([8, 64, 3, 3])).shape; // [8, 576]
 */
export class Flatten extends Module {
  /** The first dim flattened. */
  readonly startDim: number;
  /** The last dim flattened (negative counts from the end). */
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    requireInteger('Flatten', 'startDim', startDim);
    requireInteger('Flatten', 'endDim', endDim);
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}

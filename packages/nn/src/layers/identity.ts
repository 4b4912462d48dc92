import type { Tensor } from '@tapegrad/core';
import { Module } from '../module.js';

/**
 * Returns its input unchanged (PyTorch's `nn.Identity`): a placeholder, e.g. to remove a layer.
 *
 * Shape: input [*] -> output [*] (the same tensor).
 *
 * @example
 * const x = tensor([1, 2]);
 * new Identity().call(x) === x; // true
 * const model = new Sequential(new Linear(2, 2), new Identity()); // a placeholder for a later layer
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

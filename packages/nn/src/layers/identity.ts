import type { Tensor } from '@tapegrad/core';
import { Module } from '../module.js';

/**
 * Returns its input unchanged (PyTorch's `nn.Identity`): a placeholder, e.g. to remove a layer.
 *
 * Shape: input [*] -> output [*] (the same tensor).
 *
 * @example
 * model.registerModule('head', new Identity());
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

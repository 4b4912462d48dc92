import type { Conv2dGeometry, View } from '../backend.js';

// TODO(conv): implement.
export function maxPool2d(_x: View, _kernel: [number, number], _g: Conv2dGeometry): { out: View; argmax: View } {
  throw new Error('maxPool2d: not implemented yet');
}
export function avgPool2d(_x: View, _kernel: [number, number], _g: Conv2dGeometry): View {
  throw new Error('avgPool2d: not implemented yet');
}
export function avgPool2dBackward(_grad: View, _inputShape: readonly number[], _kernel: [number, number], _g: Conv2dGeometry): View {
  throw new Error('avgPool2d: not implemented yet');
}

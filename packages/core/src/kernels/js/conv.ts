import type { Conv2dGeometry, View } from '../backend.js';

// TODO(conv): implement.
export function conv2d(_x: View, _w: View, _g: Conv2dGeometry): View {
  throw new Error('conv2d: not implemented yet');
}
export function conv2dBackwardInput(_grad: View, _w: View, _inputShape: readonly number[], _g: Conv2dGeometry): View {
  throw new Error('conv2d: not implemented yet');
}
export function conv2dBackwardWeight(_x: View, _grad: View, _weightShape: readonly number[], _g: Conv2dGeometry): View {
  throw new Error('conv2d: not implemented yet');
}

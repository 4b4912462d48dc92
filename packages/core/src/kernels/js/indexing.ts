import type { View } from '../backend.js';

// TODO(indexing): implement.
export function gather(_x: View, _dim: number, _index: View): View {
  throw new Error('gather: not implemented yet');
}
export function scatterAdd(_x: View, _dim: number, _index: View, _src: View): View {
  throw new Error('scatterAdd: not implemented yet');
}
export function indexSelect(_x: View, _dim: number, _index: View): View {
  throw new Error('indexSelect: not implemented yet');
}
export function indexAdd(_x: View, _dim: number, _index: View, _src: View): View {
  throw new Error('indexAdd: not implemented yet');
}

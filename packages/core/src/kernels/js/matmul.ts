import type { DType } from '../../dtype.js';
import type { View } from '../backend.js';

// TODO(linalg): implement.
export function matmul(_a: View, _b: View, _outDtype: DType): View {
  throw new Error('matmul: not implemented yet');
}

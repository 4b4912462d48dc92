import type { Backend } from '../backend.js';
import { assign, binary, binaryInPlace, binaryInto, fill, unary, unaryInto, where } from './elementwise.js';
import { argReduce, reduce } from './reduce.js';
import { matmul } from './matmul.js';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './conv.js';
import { avgPool2d, avgPool2dBackward, maxPool2d } from './pool.js';
import { gather, indexAdd, indexSelect, nonzero, scatterAdd, scatterReduce, searchsorted } from './indexing.js';
import { adamUpdate, sgdUpdate } from './optim.js';
import { cumExtreme, scan } from './scan.js';
import { sort } from './sort.js';
import { softmax, softmaxBackward } from './softmax.js';
import { layerNorm, layerNormBackward, layerNormBackwardWeight } from './norm.js';
import { resample, resampleBackward } from './resample.js';
import { lstmCell, lstmCellBackward } from './lstm.js';
import { composedKernels } from '../composed.js';

/**
 * The reference kernels in plain TypeScript (the `'js'` backend). Every other backend is checked
 * against these, and a custom backend can start from them (see {@link registerBackend}).
 *
 * @example
 * jsBackend.name; // 'js'
 */
export const jsBackend: Backend = {
  name: 'js',
  unary, binary, where, assign, binaryInPlace, fill, unaryInto, binaryInto,
  reduce, argReduce,
  matmul,
  conv2d, conv2dBackwardInput, conv2dBackwardWeight,
  maxPool2d, avgPool2d, avgPool2dBackward,
  gather, scatterAdd, indexSelect, indexAdd,
  scatterReduce, nonzero, searchsorted, // issue 17 indexing
  adamUpdate, sgdUpdate,
  // issue 17 scans and sorting
  scan, cumExtreme, sort,
  // issue 18 fused softmax and layer norm
  softmax, softmaxBackward, layerNorm, layerNormBackward, layerNormBackwardWeight,
  resample, resampleBackward,
  lstmCell, lstmCellBackward,
  // attention and a product with a bias from the kernels above (the composites' bits)
  ...composedKernels(() => jsBackend),
};

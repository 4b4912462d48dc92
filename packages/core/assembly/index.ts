// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
export { sgemm, sgemmWorkBytes, sgemmPacked, packAWhole, packBWhole, packedABytes, packedBBytes } from './gemm';
export { unaryF32, binaryF32, compareF32, whereF32, addRowBiasF32 } from './elementwise';
export { reduceF32 } from './reduce';
export { copyStridedF32, transposeF32, fill32, copyBytes } from './layout';
export { conv2dForward, conv2dBackwardInput, conv2dBackwardWeight } from './conv';
export { maxPool2dF32, avgPool2dF32, avgPool2dBackwardF32 } from './pool';
export { adamF32, sgdF32 } from './optim';
export { winogradWeights, winogradConv, winogradWorkBytes, winogradConvWeightGrad, winogradWeightsBackward } from './winograd';
export { winograd4Weights, winograd4Conv, winograd4WorkBytes, winograd4ConvWeightGrad, winograd4WeightsBackward } from './winograd4';
export { softmaxF32, softmaxBackwardF32 } from './softmax';
export { layerNormF32, layerNormBackwardF32, layerNormBackwardWeightF32 } from './norm';
export { resampleF32, resampleBackwardF32 } from './resample';
export { scatterAddF32 } from './scatter';
export { topkF32 } from './sort';
export { scanF32, cumExtremeF32 } from './scan';

/** First free byte after the module's own static data and stack: JS manages memory from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * The functional interface (PyTorch's `torch.nn.functional`), imported as `F`:
 * activations, the computations behind the layers, and the losses, as plain functions of tensors.
 *
 * @example
 * import { randn, randint, zeros } from '@tapegrad/core';
 * import { F } from '@tapegrad/nn';
 * const x = randn([8, 4]), labels = randint(0, 3, [8]);
 * const w1 = randn([16, 4]), b1 = zeros([16]), w2 = randn([3, 16]), b2 = zeros([3]);
 * const h = F.relu(F.linear(x, w1, b1));
 * const loss = F.crossEntropy(F.linear(h, w2, b2), labels); // a scalar
 *
 * @module
 */
export { relu, sigmoid, tanh, leakyRelu, elu, gelu, softplus, softmax, logSoftmax, heaviside } from './activations.js';
export {
  linear, conv2d, maxPool2d, avgPool2d, dropout, batchNorm, embedding,
  type DropoutOptions, type BatchNormOptions,
} from './layers.js';
export { mseLoss } from '../losses/mse-loss.js';
export { l1Loss } from '../losses/l1-loss.js';
export { huberLoss } from '../losses/huber-loss.js';
export { binaryCrossEntropy } from '../losses/binary-cross-entropy.js';
export { binaryCrossEntropyWithLogits } from '../losses/binary-cross-entropy-with-logits.js';
export { crossEntropy } from '../losses/cross-entropy.js';
export { nllLoss } from '../losses/nll-loss.js';
export { klDiv } from '../losses/kl-div.js';
// Normalization (issue 18)
export {
  layerNorm, rmsNorm, groupNorm, instanceNorm, localResponseNorm, normalize,
  type LayerNormOptions, type RMSNormOptions, type GroupNormOptions, type InstanceNormOptions,
  type LocalResponseNormOptions, type NormalizeOptions,
} from './normalization.js';
// Attention (issue 18)
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
export { embeddingBag, type EmbeddingBagOptions } from './embedding-bag.js';
// Activations and losses (issue 18)
export {
  relu6, hardtanh, hardsigmoid, hardswish, hardshrink, softshrink, threshold, celu, selu, silu, mish, softsign, tanhshrink,
  logsigmoid, glu, prelu, rrelu, type RReLUOptions, softmin,
} from './activations.js';
export { smoothL1Loss } from '../losses/smooth-l1-loss.js';
export { softMarginLoss } from '../losses/soft-margin-loss.js';
export { marginRankingLoss } from '../losses/margin-ranking-loss.js';
export { hingeEmbeddingLoss } from '../losses/hinge-embedding-loss.js';
export { cosineEmbeddingLoss } from '../losses/cosine-embedding-loss.js';
export { multiMarginLoss } from '../losses/multi-margin-loss.js';
export { multilabelMarginLoss } from '../losses/multilabel-margin-loss.js';
export { multilabelSoftMarginLoss } from '../losses/multilabel-soft-margin-loss.js';
export { poissonNllLoss } from '../losses/poisson-nll-loss.js';
export { gaussianNllLoss } from '../losses/gaussian-nll-loss.js';
export { tripletMarginLoss } from '../losses/triplet-margin-loss.js';
export { ctcLoss } from '../losses/ctc-loss.js';
// Convolution and resampling (issue 18)
export {
  pad, conv1d, convTranspose1d, convTranspose2d,
  type PadMode, type PadOptions, type Conv1dOptions, type ConvTranspose1dOptions, type ConvTranspose2dOptions,
} from './conv.js';
export {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d, interpolate, pixelShuffle, pixelUnshuffle, maxPool1d, avgPool1d,
  type InterpolateMode, type Pool1dOptions, type InterpolateOptions,
} from './resample.js';
export { cosineSimilarity, pairwiseDistance } from './distance.js';
export { dropout1d, dropout2d } from './channel-dropout.js';
export { fold, unfold, type FoldOptions } from './fold.js';
// Small layers (issue 18 leftovers)
export { bilinear } from './bilinear.js';
export { dropout3d, alphaDropout, featureAlphaDropout } from './feature-dropout.js';
export { conv3d, type Conv3dOptions } from './conv3d.js';
export { maxPool3d, avgPool3d, type Pool3dOptions } from './pool3d.js';
// pooling options and unpooling
export { maxUnpool1d, maxUnpool2d, maxUnpool3d, type MaxUnpoolOptions } from './unpool.js';

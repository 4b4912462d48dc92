/**
 * @tapegrad/nn: neural-network building blocks for tapegrad, in PyTorch's shape: {@link Module}
 * and {@link Parameter}, containers, layers, activations, losses, the functional namespace
 * {@link F}, parameter initialisation {@link init}, {@link summary}, and safetensors files.
 *
 * @example
 * import { manualSeed, randn, randint } from '@tapegrad/core';
 * import { Sequential, Linear, ReLU, CrossEntropyLoss } from '@tapegrad/nn';
 * manualSeed(0);
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * const loss = new CrossEntropyLoss().call(model.call(randn([32, 784])), randint(0, 10, [32]));
 * loss.backward();
 *
 * @packageDocumentation
 */
export { Parameter } from './parameter.js';
export {
  Module, type AnyModule, type ForwardHook, type ForwardPreHook, type RemovableHandle, type StateDict,
  type LoadStateDictOptions, type LoadStateDictResult,
} from './module.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';

// Layers
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d, type Conv2dLayerOptions, type Size2 } from './layers/conv2d.js';
export { MaxPool2d, type MaxPool2dOptions } from './layers/max-pool2d.js';
export { AvgPool2d, type AvgPool2dOptions } from './layers/avg-pool2d.js';
export { Flatten } from './layers/flatten.js';
export { Dropout } from './layers/dropout.js';
export { BatchNormBase, BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from './layers/batch-norm.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { Identity } from './layers/identity.js';

// Activations
export {
  Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax, Heaviside, Step,
} from './activations.js';

// Losses (the functions are in F)
export type { Reduction, LossOptions } from './losses/reduction.js';
export { MSELoss } from './losses/mse-loss.js';
export { L1Loss } from './losses/l1-loss.js';
export { HuberLoss, type HuberLossOptions } from './losses/huber-loss.js';
export { BCELoss, type BCELossOptions } from './losses/binary-cross-entropy.js';
export { BCEWithLogitsLoss, type BCEWithLogitsLossOptions } from './losses/binary-cross-entropy-with-logits.js';
export { CrossEntropyLoss, type CrossEntropyLossOptions } from './losses/cross-entropy.js';
export { NLLLoss, type NLLLossOptions } from './losses/nll-loss.js';
export { KLDivLoss, type KLDivLossOptions, type KLDivReduction } from './losses/kl-div.js';

/**
 * The functional interface (PyTorch's `torch.nn.functional`): activations (`F.relu`,
 * `F.softmax`, ...), layer computations (`F.linear`, `F.conv2d`, `F.dropout`, `F.batchNorm`, ...)
 * and losses (`F.crossEntropy`, `F.mseLoss`, ...).
 *
 * @example
 * const x = randn([8, 4]), w = randn([3, 4]), b = zeros([3]);
 * const labels = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int32' });
 * const loss = F.crossEntropy(F.linear(x, w, b), labels, { labelSmoothing: 0.1 });
 * loss.shape; // []
 */
export * as F from './functional/index.js';

/**
 * Parameter initialisation (PyTorch's `torch.nn.init`): in-place, seeded, without recording.
 * `uniform_`, `normal_`, `truncNormal_`, `constant_`, `zeros_`, `ones_`, `eye_`, `xavierUniform_`,
 * `xavierNormal_`, `kaimingUniform_`, `kaimingNormal_`, `calculateGain`, `calculateFanInAndFanOut`.
 *
 * @example
 * const layer = new Linear(256, 128);
 * init.kaimingNormal_(layer.weight, { mode: 'fanOut', nonlinearity: 'relu' });
 * init.zeros_(layer.bias!);
 * layer.bias!.abs().sum().item(); // 0
 */
export * as init from './init.js';

export { summary, ModelSummary, type SummaryRow, type SummaryTotals } from './summary.js';
export {
  serializeSafetensors, parseSafetensors, saveSafetensors, loadSafetensors, loadSafetensorsWithMetadata,
  MAX_HEADER_BYTES, type SafetensorsDType, type SerializeOptions, type SafetensorsContents, type TensorMap,
} from './safetensors.js';

// Normalization layers (issue 18)
export { LayerNorm, type LayerNormOptions } from './layers/layer-norm.js';
export { RMSNorm, type RMSNormOptions } from './layers/rms-norm.js';
export { GroupNorm, type GroupNormOptions } from './layers/group-norm.js';
export { InstanceNormBase, InstanceNorm1d, InstanceNorm2d, type InstanceNormLayerOptions } from './layers/instance-norm.js';
export { LocalResponseNorm, type LocalResponseNormOptions } from './layers/local-response-norm.js';
// Recurrent layers (RNN, LSTM, GRU, their cells) and nn.utils.rnn
export {
  RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell,
  type RNNOptions, type RNNLayerOptions, type LSTMOptions, type RNNCellOptions,
  type RNNMode,
} from './layers/rnn.js';
export { PackedSequence, packPaddedSequence, padPackedSequence, padSequence, packSequence } from './utils/rnn.js';
/**
 * PyTorch's `torch.nn.utils` (so far its `rnn` part): `utils.rnn.padSequence`,
 * `utils.rnn.packPaddedSequence`, `utils.rnn.padPackedSequence`, `utils.rnn.packSequence` and
 * `utils.rnn.PackedSequence`, also exported as plain names.
 *
 * @example
 * const x = utils.rnn.padSequence([tensor([1, 2]), tensor([3])]);
 * x.shape; // [2, 2]
 */
export * as utils from './utils/index.js';
// Attention and transformers (issue 18)
export {
  MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './layers/multihead-attention.js';
export {
  TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer,
  type TransformerActivation, type TransformerLayerOptions, type TransformerEncoderLayerForwardOptions,
  type TransformerDecoderForwardOptions, type TransformerEncoderForwardOptions, type TransformerOptions,
  type TransformerForwardOptions,
} from './layers/transformer.js';
export { EmbeddingBag, type EmbeddingBagOptions } from './layers/embedding-bag.js';
// Activations and losses (issue 18)
export {
  ReLU6, Hardtanh, Hardsigmoid, Hardswish, Hardshrink, Softshrink, Threshold, CELU, SELU, SiLU, Mish, Softsign, Tanhshrink,
  LogSigmoid, GLU, PReLU, type PReLUOptions, RReLU, Softmin, Softmax2d,
} from './activations.js';
export { SmoothL1Loss, type SmoothL1LossOptions } from './losses/smooth-l1-loss.js';
export { SoftMarginLoss } from './losses/soft-margin-loss.js';
export { MarginRankingLoss, type MarginLossOptions } from './losses/margin-ranking-loss.js';
export { HingeEmbeddingLoss } from './losses/hinge-embedding-loss.js';
export { CosineEmbeddingLoss } from './losses/cosine-embedding-loss.js';
export { MultiMarginLoss, type MultiMarginLossOptions } from './losses/multi-margin-loss.js';
export { MultiLabelMarginLoss } from './losses/multilabel-margin-loss.js';
export { MultiLabelSoftMarginLoss, type MultiLabelSoftMarginLossOptions } from './losses/multilabel-soft-margin-loss.js';
export { PoissonNLLLoss, type PoissonNLLLossOptions } from './losses/poisson-nll-loss.js';
export { GaussianNLLLoss, type GaussianNLLLossOptions } from './losses/gaussian-nll-loss.js';
export { TripletMarginLoss, type TripletMarginLossOptions } from './losses/triplet-margin-loss.js';
export { CTCLoss, type CTCLossOptions } from './losses/ctc-loss.js';
// Convolution and resampling (issue 18)
export { ConvTranspose2d, ConvTranspose1d, type ConvTransposeLayerOptions } from './layers/conv-transpose2d.js';
export { Conv1d, type Conv1dLayerOptions } from './layers/conv1d.js';
export {
  AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, Upsample, PixelShuffle, PixelUnshuffle, MaxPool1d, AvgPool1d,
  type UpsampleOptions,
} from './layers/resample.js';
export { CosineSimilarity, PairwiseDistance } from './layers/distance.js';
export { Dropout1d, Dropout2d } from './layers/channel-dropout.js';
export { Fold, Unfold, Unflatten } from './layers/fold.js';
export type { WeightBiasOptions } from './layers/weight-bias.js';
// Small layers (issue 18 leftovers)
export { Bilinear } from './layers/bilinear.js';
export { Dropout3d, AlphaDropout, FeatureAlphaDropout } from './layers/feature-dropout.js';
export { Conv3d, type Conv3dLayerOptions } from './layers/conv3d.js';
export { MaxPool3d, AvgPool3d } from './layers/pool3d.js';
// pooling options and unpooling
export { MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, type MaxUnpoolNdOptions } from './layers/max-unpool.js';
export type { PoolResult } from './layers/max-pool2d.js';

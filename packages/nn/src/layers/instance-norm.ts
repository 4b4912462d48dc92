import { ShapeError, checkOptions, defineOptions, fmtShape, type DTypeLike, type Tensor } from '@tapegrad/core';
import { instanceNorm } from '../functional/normalization.js';
import { NormBase } from './norm-base.js';

const TYPES = { eps: 'number', momentum: 'number', affine: 'boolean', trackRunningStats: 'boolean', dtype: 'string' };
const SPECS = { InstanceNorm1d: defineOptions('InstanceNorm1d', TYPES), InstanceNorm2d: defineOptions('InstanceNorm2d', TYPES) };

/**
 * Options of {@link InstanceNorm1d} and {@link InstanceNorm2d}.
 *
 * @example
 * new InstanceNorm2d(3, { affine: true }).parameters().length; // 2
 * Object.keys(new InstanceNorm2d(3, { trackRunningStats: true }).stateDict()); // ['running_mean', 'running_var', 'num_batches_tracked']
 */
export interface InstanceNormLayerOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale `weight` and shift `bias` (default false). */
  affine?: boolean;
  /** Keep running statistics and normalise by them in evaluation mode (default false). */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
}

/**
 * Common part of {@link InstanceNorm1d} and {@link InstanceNorm2d} (PyTorch's `_InstanceNorm`):
 * normalises each channel of each sample by its own mean and biased variance over the spatial
 * dims, `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias` (see {@link F.instanceNorm}).
 *
 * With `trackRunningStats`, training updates the running statistics by the instance statistics
 * averaged over the batch (`running = (1 - momentum) running + momentum stat`, unbiased variance
 * for `running_var`), and evaluation normalises by them; without (the default), instance
 * statistics are used in both modes. `num_batches_tracked` is kept (as PyTorch) but not counted.
 * An input without the batch dim ([C, *]) is taken as a batch of one.
 *
 * Parameters `weight` (init 1) and `bias` (init 0), shape [C], when affine; buffers
 * `running_mean` (init 0), `running_var` (init 1), shape [C], and `num_batches_tracked` (int32
 * scalar, 0) when tracking — PyTorch's state-dict keys.
 *
 * @example
 * const norm = new InstanceNorm1d(2, { trackRunningStats: true, momentum: 1 });
 * norm.call(tensor([[[1, 3], [0, 4]]]));
 * norm.runningVar!.toArray(); // [2, 8]
 * norm.eval().call(tensor([[[1, 3], [0, 4]]])).shape; // [1, 2, 2]
 */
export abstract class InstanceNormBase extends NormBase {
  constructor(numFeatures: number, opts?: InstanceNormLayerOptions) {
    const name = new.target.name;
    opts = checkOptions(SPECS[name as keyof typeof SPECS] ?? defineOptions(name, TYPES), opts);
    super(numFeatures, {
      eps: opts.eps ?? 1e-5,
      momentum: opts.momentum ?? 0.1,
      affine: opts.affine ?? false,
      trackRunningStats: opts.trackRunningStats ?? false,
      dtype: opts.dtype,
    });
  }

  /** The dims of an input without the batch dim: 2 for InstanceNorm1d, 3 for InstanceNorm2d. */
  protected abstract readonly noBatchDims: number;

  forward(x: Tensor): Tensor {
    const d = this.noBatchDims;
    if (x.ndim !== d && x.ndim !== d + 1) {
      const s = d === 2 ? ['[C, L]', '[N, C, L]'] : ['[C, H, W]', '[N, C, H, W]'];
      throw new ShapeError(`${this.typeName()}: expected ${d}-D ${s[0]} or ${d + 1}-D ${s[1]} input, got input.shape=${fmtShape(x.shape)}`);
    }
    const unbatched = x.ndim === d;
    const c = x.shape[unbatched ? 0 : 1];
    // As PyTorch: another channel count is only an error when there are per-channel tensors.
    if (c !== this.numFeatures && (this.affine || this.trackRunningStats))
      throw new ShapeError(`${this.typeName()}: expected ${this.numFeatures} channels in dim ${unbatched ? 0 : 1}, got input.shape=${fmtShape(x.shape)}`);
    const y = instanceNorm(unbatched ? x.unsqueeze(0) : x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum ?? 0.1,
      eps: this.eps,
    });
    return unbatched ? y.squeeze(0) : y;
  }
}

/**
 * Instance normalisation of [N, C, L] or [C, L] inputs (PyTorch's `nn.InstanceNorm1d`); see
 * {@link InstanceNormBase} for the formula, modes, parameters and buffers.
 *
 * Shape: input [N, C, L] or [C, L] -> output of the same shape.
 *
 * @example
 * const norm = new InstanceNorm1d(4);
 * norm.call(randn([8, 4, 16])).shape; // [8, 4, 16]
 */
export class InstanceNorm1d extends InstanceNormBase {
  protected readonly noBatchDims = 2;
}

/**
 * Instance normalisation of image batches [N, C, H, W] or one image [C, H, W] (PyTorch's
 * `nn.InstanceNorm2d`, common in style transfer); see {@link InstanceNormBase} for the formula,
 * modes, parameters and buffers.
 *
 * Shape: input [N, C, H, W] or [C, H, W] -> output of the same shape.
 *
 * @example
 * const norm = new InstanceNorm2d(3, { affine: true });
 * norm.call(randn([2, 3, 8, 8])).shape; // [2, 3, 8, 8]
 */
export class InstanceNorm2d extends InstanceNormBase {
  protected readonly noBatchDims = 3;
}

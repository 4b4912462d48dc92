/**
 * @tapegrad/optim: optimizers, learning-rate schedulers and gradient clipping for tapegrad,
 * following PyTorch's `torch.optim` update rules step for step. An optimizer takes tensors (or
 * param groups), not modules, so it depends on @tapegrad/core only.
 *
 * @example
 * import { tensor } from '@tapegrad/core';
 * import { Adam, StepLR } from '@tapegrad/optim';
 * const w = tensor([1, 2, 3], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 10 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 *   sched.step();
 * }
 *
 * @packageDocumentation
 */
export {
  Optimizer, type OptimizerOptions, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState,
  type StateValue, type OptimizerStateDict, type ZeroGradOptions, type Closure,
} from './optimizer.js';
export { SGD, type SGDOptions, type SGDState } from './sgd.js';
export { Adam, AdamBase, type AdamOptions, type AdamState } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export { Adagrad, type AdagradOptions, type AdagradState } from './adagrad.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clip-grad.js';
export { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './schedulers/lr-scheduler.js';
export { StepLR, type StepLROptions } from './schedulers/step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './schedulers/multi-step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './schedulers/exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/reduce-lr-on-plateau.js';
export { LambdaLR, MultiplicativeLR, type LambdaLROptions, type LrLambda } from './schedulers/lambda-lr.js';
export { ConstantLR, type ConstantLROptions } from './schedulers/constant-lr.js';
export { PolynomialLR, type PolynomialLROptions } from './schedulers/polynomial-lr.js';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from './schedulers/cosine-annealing-warm-restarts.js';
export { OneCycleLR, type OneCycleLROptions } from './schedulers/one-cycle-lr.js';
export { SequentialLR, type SequentialLROptions } from './schedulers/sequential-lr.js';
/**
 * The update rules as plain loops over typed arrays (PyTorch's functional optimizers), which the
 * optimizer classes call: `sgdUpdate`, `adamUpdate`, `adamwUpdate`, `rmspropUpdate`, `adagradUpdate`.
 *
 * @example
 * const param = new Float32Array([1, 2]);
 * functional.sgdUpdate(param, new Float32Array([10, 10]), null, true, { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
 * param; // [0, 1]
 */
export * as functional from './functional/index.js';
// issue 18: more optimizers
export { Adadelta, type AdadeltaOptions, type AdadeltaState } from './adadelta.js';
export { Adamax, type AdamaxOptions, type AdamaxState } from './adamax.js';
export { NAdam, type NAdamOptions, type NAdamState } from './nadam.js';
export { RAdam, type RAdamOptions, type RAdamState } from './radam.js';
export { Rprop, type RpropOptions, type RpropState } from './rprop.js';
export { ASGD, type ASGDOptions, type ASGDState } from './asgd.js';
export { LBFGS, type LBFGSOptions, type LBFGSState } from './lbfgs.js';
export { CyclicLR, type CyclicLROptions } from './schedulers/cyclic-lr.js';
export { ChainedScheduler } from './schedulers/chained-scheduler.js';

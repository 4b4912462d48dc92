/**
 * The update rules over typed arrays (PyTorch's functional optimizers): one pass over a
 * parameter, its gradient and its state buffers, in place, allocating nothing. The optimizer
 * classes call these; SGD and Adam/AdamW run core's fused backend kernels (`fusedSgdUpdate`,
 * `fusedAdamUpdate`), RMSprop and Adagrad are TypeScript loops.
 */
export type { FloatArray } from './float-array.js';
export { sgdUpdate, type SGDUpdateOptions } from './sgd.js';
export { adamUpdate, type AdamUpdateOptions } from './adam.js';
export { adamwUpdate } from './adamw.js';
export { rmspropUpdate, type RMSpropUpdateOptions } from './rmsprop.js';
export { adagradUpdate, type AdagradUpdateOptions } from './adagrad.js';

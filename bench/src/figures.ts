/** One figure of the table: what is measured, its unit, and whether higher is better. */
export interface Figure {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
}

/**
 * The char-gpt figure's model and batch: examples/src/gpt-model.ts's GPT at the char-gpt example's
 * full-run size (65 characters, 4 pre-norm blocks, 4 heads, d = 128, context 64, batch 32).
 */
export const CHAR_GPT = { vocabSize: 65, nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64, batch: 32, lr: 3e-3, weightDecay: 0.1 } as const;

/** Every figure the bench reports, in table order (the real-MNIST epochs take minutes: opt-in). */
export function figures(withEpochs = false): Figure[] {
  const out: Figure[] = [];
  const combos = ['NN', 'TN', 'NT', 'TT'];
  for (const n of [128, 256, 512, 1024])
    for (const t of combos) out.push({ id: `gemm-${n}-${t}`, label: `sgemm ${n}^3 ${t}`, unit: 'GFLOP/s', higherIsBetter: true });
  for (const t of combos) out.push({ id: `gemm-mlp-${t}`, label: `sgemm 128x784*784x512 ${t}`, unit: 'GFLOP/s', higherIsBetter: true });
  out.push({ id: 'add-1e6', label: 'add 1e6 floats', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'exp-1e6', label: 'exp 1e6 floats', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'sum-1e6', label: 'sum 1e6 floats', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'add-out-1e6', label: 'add 1e6 floats, out= pinned', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'exp-out-1e6', label: 'exp 1e6 floats, out= pinned', unit: 'ms', higherIsBetter: false });
  // hot ops of issue 17, float32, along the last dim ('op-' selects them all)
  out.push({ id: 'op-cumsum', label: 'cumsum [1024,1024] dim -1', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'op-sort', label: 'sort [1024,1024] dim -1', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'op-topk', label: 'topk k=10 [1024,1024] dim -1', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'op-scatteradd', label: 'scatterAdd 1e6 into [1e4]', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'op-einsum', label: "einsum bij,bjk->bik 32x128x64x128", unit: 'ms', higherIsBetter: false });
  out.push({ id: 'op-tril', label: 'tril [1024,1024]', unit: 'ms', higherIsBetter: false });
  out.push({ id: 'small-op', label: 'add [8]+[8], tape on', unit: 'us', higherIsBetter: false });
  out.push({ id: 'mlp', label: 'MLP 784-512-512-10 Adam b128', unit: 'samples/s', higherIsBetter: true });
  out.push({ id: 'sigmoid', label: 'MLP 784-100-10 sigmoid MSE SGD b1000', unit: 'samples/s', higherIsBetter: true });
  out.push({ id: 'convnet', label: 'Keras MNIST convnet Adam b64', unit: 'samples/s', higherIsBetter: true });
  out.push({ id: 'char-gpt', label: 'char-gpt 4L d128 T64 b32 AdamW+clip', unit: 'tokens/s', higherIsBetter: true });
  if (withEpochs) {
    out.push({ id: 'epoch-mlp', label: `real-MNIST epoch, MLP b128 (median of ${EPOCH_RUNS}, interleaved)`, unit: 's', higherIsBetter: false });
    out.push({ id: 'epoch-convnet', label: `real-MNIST epoch, convnet b64 (median of ${EPOCH_RUNS}, interleaved)`, unit: 's', higherIsBetter: false });
  }
  return out;
}

/** Transposes of a combo name: 'TN' = first operand transposed. */
export function transposes(t: string): [boolean, boolean] {
  return [t[0] === 'T', t[1] === 'T'];
}

/** [M, K, N] of a GEMM figure id. */
/**
 * Rounds of epochs for the epoch figures (each round one epoch per column in turn), the median
 * reported: one epoch's time varied by up to 50% between runs on a shared machine (either
 * library), too much for a single run, or runs minutes apart, to compare.
 */
export const EPOCH_RUNS = 3;

export function gemmShape(id: string): [number, number, number] {
  if (id.startsWith('gemm-mlp')) return [128, 784, 512];
  const n = Number(id.split('-')[1]);
  return [n, n, n];
}

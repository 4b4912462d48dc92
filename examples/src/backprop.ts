// Example 7: the classic backpropagation worked example (a 2-2-2 sigmoid network, one training
// step), with every gradient computed by autograd instead of by hand.
//
//   inputs i1 = 0.05, i2 = 0.10; targets t1 = 0.01, t2 = 0.99
//   h1 = σ(w1 i1 + w2 i2 + b1), h2 = σ(w3 i1 + w4 i2 + b1)
//   o1 = σ(w5 h1 + w6 h2 + b2), o2 = σ(w7 h1 + w8 h2 + b2)
//   E = ½ (t1 − o1)² + ½ (t2 − o2)²
// One step of gradient descent with learning rate 0.5 updates w1…w8; as in the worked example,
// the biases are kept fixed (their gradients are printed too).
import { noGrad, tensor, type Tensor } from '@tapegrad/core';
import { graphSvg, graphText, saveSvg } from '@tapegrad/train';
import { logger, outPath, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const lr = 0.5;

  // Row j of a layer's weight matrix holds the weights into unit j: [[w1, w2], [w3, w4]].
  const inputs = tensor([0.05, 0.1], f64);
  const targets = tensor([0.01, 0.99], f64);
  const hiddenWeights = tensor([[0.15, 0.2], [0.25, 0.3]], { ...f64, requiresGrad: true });
  const hiddenBias = tensor(0.35, { ...f64, requiresGrad: true });
  const outputWeights = tensor([[0.4, 0.45], [0.5, 0.55]], { ...f64, requiresGrad: true });
  const outputBias = tensor(0.6, { ...f64, requiresGrad: true });

  // Forward pass: net_j = Σ_k w_jk x_k + b, out_j = σ(net_j), E = Σ ½ (t − o)².
  const hidden = layer(hiddenWeights, inputs, hiddenBias);
  const outputs = layer(outputWeights, hidden, outputBias);
  const errors = targets.sub(outputs).pow(2).mul(0.5);
  const totalError = errors.sum();

  const [h1, h2] = Array.from(hidden.data);
  const [o1, o2] = Array.from(outputs.data);
  const [e1, e2] = Array.from(errors.data);
  log('Forward pass');
  log(`  h1 = ${h1!.toFixed(9)}   h2 = ${h2!.toFixed(9)}`);
  log(`  o1 = ${o1!.toFixed(9)}   o2 = ${o2!.toFixed(9)}`);
  log(`  E_o1 = ${e1!.toFixed(9)}   E_o2 = ${e2!.toFixed(9)}`);
  log(`  E_total = ${totalError.item().toFixed(9)}`);

  // Backward pass: one call fills .grad of every leaf.
  totalError.backward();
  const weights = [...hiddenWeights.data, ...outputWeights.data];
  const gradients = [...hiddenWeights.grad!.data, ...outputWeights.grad!.data];
  log('');
  log('Backward pass (autograd): dE/dw');
  gradients.forEach((g, k) => log(`  dE/dw${k + 1} = ${g.toFixed(9)}`));
  log(`  dE/db1 = ${hiddenBias.grad!.item().toFixed(9)}   dE/db2 = ${outputBias.grad!.item().toFixed(9)}   (biases kept fixed)`);

  // The tape that autograd walked backwards, with every leaf's value and gradient.
  const names = new Map<Tensor, string>([
    [inputs, 'inputs [i1, i2]'], [targets, 'targets [t1, t2]'],
    [hiddenWeights, 'hidden weights [[w1, w2], [w3, w4]]'], [hiddenBias, 'b1'],
    [outputWeights, 'output weights [[w5, w6], [w7, w8]]'], [outputBias, 'b2'],
    [totalError, 'E_total'],
  ]);
  const graph = graphText(totalError, { names });
  log('');
  log('Computational graph of E_total (op nodes with output shapes; leaves with values and gradients):');
  for (const line of graph.split('\n')) log(`  ${line}`);
  const svgFile = saveSvg(graphSvg(totalError, { names }), outPath(args, 'backprop', 'graph'));
  log(`(drawn as ${svgFile})`);

  // One step of gradient descent on the weights.
  noGrad(() => {
    hiddenWeights.sub_(hiddenWeights.grad!.mul(lr));
    outputWeights.sub_(outputWeights.grad!.mul(lr));
  });
  const updated = [...hiddenWeights.data, ...outputWeights.data];
  log('');
  log(`Weights after one step, w <- w - ${lr} * dE/dw`);
  updated.forEach((w, k) => log(`  w${k + 1}: ${weights[k]!.toFixed(2)} -> ${w.toFixed(9)}`));

  // The error after the step, for comparison.
  const after = noGrad(() => forwardError(inputs, targets, hiddenWeights, hiddenBias, outputWeights, outputBias));
  log('');
  log(`E_total after one step: ${after.toFixed(9)} (was ${totalError.item().toFixed(9)})`);

  return {
    h1, h2, o1, o2,
    totalError: totalError.item(),
    gradients,
    biasGradients: [hiddenBias.grad!.item(), outputBias.grad!.item()],
    updatedWeights: updated,
    errorAfterStep: after,
    graph,
  };
}

/** σ(Σ_k w_jk x_k + b) for each unit j: weights [J, K], x [K], b [] -> [J]. */
function layer(weights: Tensor, x: Tensor, bias: Tensor): Tensor {
  return weights.mul(x).sum(1).add(bias).sigmoid();
}

function forwardError(inputs: Tensor, targets: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): number {
  const o = layer(w2, layer(w1, inputs, b1), b2);
  return targets.sub(o).pow(2).mul(0.5).sum().item();
}

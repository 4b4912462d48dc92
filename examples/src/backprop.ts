// Example 7: the classic backpropagation worked example (a 2-2-2 sigmoid network, one training
// step), with every gradient computed by autograd instead of by hand.
//
//   inputs i1 = 0.05, i2 = 0.10; targets t1 = 0.01, t2 = 0.99
//   h1 = σ(w1 i1 + w2 i2 + b1), h2 = σ(w3 i1 + w4 i2 + b1)
//   o1 = σ(w5 h1 + w6 h2 + b2), o2 = σ(w7 h1 + w8 h2 + b2)
//   E = ½ (t1 − o1)² + ½ (t2 − o2)²
// One step of gradient descent with learning rate 0.5 updates w1…w8; as in the worked example,
// the biases are kept fixed (their gradients are printed too).
// Two pictures: the lecture's neuron-level diagram (every weight on its edge with its value and
// gradient) and the op-level graph that autograd walked.
import { noGrad, tensor, type Tensor } from '@tapegrad/core';
import { escapeXml, graphSvg, graphText, saveSvg } from '@tapegrad/train';
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
  const diagram = neuronDiagram({
    inputs: Array.from(inputs.data), hidden: [h1!, h2!], outputs: [o1!, o2!], targets: Array.from(targets.data),
    weights, gradients, biases: [hiddenBias.item(), outputBias.item()],
    biasGradients: [hiddenBias.grad!.item(), outputBias.grad!.item()], errors: [e1!, e2!], total: totalError.item(),
  });
  log(`The network as the lecture draws it, each weight with its value and dE/dw: ${saveSvg(diagram, outPath(args, 'backprop', 'network'))}`);

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
    diagram,
  };
}

/** What the neuron-level diagram shows: values of the units, the weights w1…w8 and their gradients. */
export interface DiagramValues {
  inputs: number[]; hidden: number[]; outputs: number[]; targets: number[];
  weights: number[]; gradients: number[]; biases: number[]; biasGradients: number[];
  errors: number[]; total: number;
}

/**
 * The lecture's picture of the 2-2-2 network as SVG: inputs, h1, h2, o1, o2 and the targets as
 * nodes with their values; each weight on its edge with its value and ∂E/∂w; the biases b1, b2.
 */
export function neuronDiagram(v: DiagramValues): string {
  const W = 1000;
  const H = 430;
  const col = [90, 390, 690, 900];
  const row = [150, 330];
  const r = 34;
  const parts: string[] = [];
  const text = (x: number, y: number, t: string, extra = '') =>
    parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle" font-size="13"${extra}>${escapeXml(t)}</text>`);
  const node = (x: number, y: number, name: string, value: number, fill: string) => {
    parts.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" stroke="#333" stroke-width="1.5"/>`);
    text(x, y - 4, name, ' font-weight="bold"');
    text(x, y + 13, value.toFixed(6));
  };
  // Weight k joins source (layer l, unit a) to target (layer l+1, unit b): w1 i1→h1, w2 i2→h1, w3 i1→h2, ...
  const edges = [0, 1].flatMap((l) => [0, 1].flatMap((b) => [0, 1].map((a) => ({ l, a, b }))));
  edges.forEach(({ l, a, b }, k) => {
    const x0 = col[l]! + r;
    const y0 = row[a]!;
    const x1 = col[l + 1]! - r;
    const y1 = row[b]!;
    parts.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#555" stroke-width="1.5"/>`);
    // Straight edges are labelled above (top) or below (bottom) their middle, crossing ones near their start.
    const t = a === b ? 0.5 : 0.27;
    const lx = x0 + t * (x1 - x0);
    const ly = y0 + t * (y1 - y0) + (a === b ? (a === 0 ? -26 : 18) : a === 0 ? -4 : -22);
    const label = `w${k + 1} = ${v.weights[k]!.toFixed(2)}`;
    const grad = `∂E/∂w${k + 1} = ${v.gradients[k]!.toFixed(6)}`;
    parts.push(`<rect x="${(lx - 66).toFixed(1)}" y="${(ly - 12).toFixed(1)}" width="132" height="32" fill="#fff" fill-opacity="0.85"/>`);
    text(lx, ly, label, ' font-weight="bold"');
    text(lx, ly + 15, grad, ' fill="#b03030"');
  });
  // Biases: one per layer, shared by its two units.
  [0, 1].forEach((l) => {
    const bx = col[l + 1]! - 110;
    const by = 60;
    parts.push(`<rect x="${bx - 42}" y="${by - 20}" width="84" height="40" rx="6" fill="#f3f3f3" stroke="#888"/>`);
    text(bx, by - 3, `b${l + 1} = ${v.biases[l]!.toFixed(2)}`, ' font-weight="bold"');
    text(bx, by + 13, `∂E/∂b${l + 1} = ${v.biasGradients[l]!.toFixed(4)}`, ' fill="#b03030" font-size="11"');
    for (const y of row) parts.push(`<line x1="${bx + 42}" y1="${by + 10}" x2="${col[l + 1]! - r * 0.7}" y2="${y - r * 0.7}" stroke="#aaa" stroke-dasharray="4 3"/>`);
  });
  v.inputs.forEach((x, i) => node(col[0]!, row[i]!, `i${i + 1}`, x, '#e8f0fb'));
  v.hidden.forEach((h, i) => node(col[1]!, row[i]!, `h${i + 1}`, h, '#eef7e8'));
  v.outputs.forEach((o, i) => node(col[2]!, row[i]!, `o${i + 1}`, o, '#fdf1e3'));
  v.targets.forEach((t, i) => {
    const x = col[3]!;
    const y = row[i]!;
    parts.push(`<line x1="${col[2]! + r}" y1="${y}" x2="${x - 40}" y2="${y}" stroke="#888" stroke-dasharray="5 3"/>`);
    text((col[2]! + r + x - 40) / 2, y - 8, `E_o${i + 1} = ${v.errors[i]!.toFixed(6)}`, ' font-size="12"');
    parts.push(`<rect x="${x - 40}" y="${y - 22}" width="80" height="44" rx="6" fill="#f7f7f7" stroke="#333"/>`);
    text(x, y - 4, `t${i + 1}`, ' font-weight="bold"');
    text(x, y + 13, t.toFixed(2));
  });
  text(W / 2, H - 24, `E_total = ½ Σ (t − o)² = ${v.total.toFixed(9)};  black: weight values, red: ∂E/∂w by autograd`);
  const title = 'The 2-2-2 backpropagation example: weights and gradients';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** σ(Σ_k w_jk x_k + b) for each unit j: weights [J, K], x [K], b [] -> [J]. */
function layer(weights: Tensor, x: Tensor, bias: Tensor): Tensor {
  return weights.mul(x).sum(1).add(bias).sigmoid();
}

function forwardError(inputs: Tensor, targets: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): number {
  const o = layer(w2, layer(w1, inputs, b1), b2);
  return targets.sub(o).pow(2).mul(0.5).sum().item();
}

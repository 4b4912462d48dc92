// The activation functions of the notes: sigmoid, tanh, ReLU, leaky ReLU, identity and softmax.
//
// Value tables at x = −2, −1, 0, 1, 2 with the exact values (closed forms such as 1/(1 + e²)
// printed to 10 decimals), the derivatives from autograd beside the closed forms
//   σ'(x) = σ(x)(1 − σ(x)),  tanh'(x) = 1 − tanh²(x),  ReLU'(x) = [x > 0],
//   leaky ReLU'(x) = 1 if x > 0 else α (α = 0.01, PyTorch's and Keras' default),  identity' = 1,
// (at x = 0 autograd takes ReLU'(0) = 0 and leaky ReLU'(0) = α, PyTorch's convention), and softmax
// on the textbook vector z = [2, 1, 0.1] (→ [0.659, 0.242, 0.099]) with its Jacobian
// diag(s) − s sᵀ by autograd, row by row. Plots of the functions and their derivatives (SVG).
import { linspace, tensor, type Tensor } from '@tapegrad/core';
import { F } from '@tapegrad/nn';
import { lineChart } from '@tapegrad/train';
import { fmtList, logger, savePicture, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;
export const ALPHA = 0.01;
export const POINTS = [-2, -1, 0, 1, 2];
export const SOFTMAX_INPUT = [2, 1, 0.1];

/** Each activation: tapegrad's function and the closed forms of it and of its derivative. */
export const ACTIVATIONS: ReadonlyArray<{
  name: string;
  fn: (x: Tensor) => Tensor;
  value: (x: number) => number;
  derivative: (x: number) => number;
  formula: string;
}> = [
  { name: 'sigmoid', fn: (x) => x.sigmoid(), value: (x) => 1 / (1 + Math.exp(-x)), derivative: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2, formula: "σ' = σ(1 − σ)" },
  { name: 'tanh', fn: (x) => x.tanh(), value: Math.tanh, derivative: (x) => 1 - Math.tanh(x) ** 2, formula: "tanh' = 1 − tanh²" },
  { name: 'ReLU', fn: (x) => F.relu(x), value: (x) => Math.max(0, x), derivative: (x) => (x > 0 ? 1 : 0), formula: "ReLU' = [x > 0]" },
  { name: 'leaky ReLU', fn: (x) => F.leakyRelu(x, ALPHA), value: (x) => (x > 0 ? x : ALPHA * x), derivative: (x) => (x > 0 ? 1 : ALPHA), formula: `leaky' = 1 or ${ALPHA}` },
  { name: 'identity', fn: (x) => x.mul(1), value: (x) => x, derivative: () => 1, formula: "identity' = 1" },
];

/** f(x) and f'(x) elementwise by autograd: the gradient of Σ f(x_i) is [f'(x_i)]. */
export function valueAndDerivative(fn: (x: Tensor) => Tensor, xs: readonly number[]): { values: number[]; derivatives: number[] } {
  const x = tensor([...xs], { ...f64, requiresGrad: true });
  const y = fn(x);
  y.sum().backward();
  return { values: Array.from(y.data), derivatives: Array.from(x.grad!.data) };
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const table: Record<string, { values: number[]; derivatives: number[]; closedValues: number[]; closedDerivatives: number[] }> = {};
  const col = (v: number) => v.toFixed(10).padStart(14);
  log(`Activation values and derivatives at x = ${POINTS.join(', ')} (autograd | closed form)`);
  for (const a of ACTIVATIONS) {
    const { values, derivatives } = valueAndDerivative(a.fn, POINTS);
    const closedValues = POINTS.map(a.value);
    const closedDerivatives = POINTS.map(a.derivative);
    table[a.name] = { values, derivatives, closedValues, closedDerivatives };
    log('');
    log(`${a.name}   (${a.formula})`);
    log('     x          f(x)   f(x) closed form     f\'(x) autograd  f\'(x) closed form');
    POINTS.forEach((x, i) => log(`  ${String(x).padStart(3)}  ${col(values[i]!)}  ${col(closedValues[i]!)}    ${col(derivatives[i]!)}  ${col(closedDerivatives[i]!)}`));
  }
  log('');
  log('  exact values: σ(1) = 1/(1 + e⁻¹) = e/(e + 1), σ(2) = 1/(1 + e⁻²), σ(0) = 1/2, tanh(1) = (e² − 1)/(e² + 1)');

  // Softmax: s_i = e^{z_i} / Σ_j e^{z_j}; its Jacobian ∂s_i/∂z_j = s_i (δ_ij − s_j).
  const z = tensor(SOFTMAX_INPUT, { ...f64, requiresGrad: true });
  const s = F.softmax(z, 0);
  const softmax = Array.from(s.data);
  const closedSoftmax = SOFTMAX_INPUT.map((v) => Math.exp(v) / SOFTMAX_INPUT.reduce((t, u) => t + Math.exp(u), 0));
  const jacobian: number[][] = [];
  for (let i = 0; i < SOFTMAX_INPUT.length; i++) {
    z.grad = null;
    s.select(0, i).backward({ retainGraph: true });
    jacobian.push(Array.from(z.grad!.data));
  }
  const closedJacobian = closedSoftmax.map((si, i) => closedSoftmax.map((sj, j) => si * ((i === j ? 1 : 0) - sj)));
  log('');
  log(`softmax(z), z = ${JSON.stringify(SOFTMAX_INPUT)}: s_i = e^{z_i} / Σ_j e^{z_j}`);
  log(`  autograd    ${fmtList(softmax, 10)}   (sum ${softmax.reduce((a, b) => a + b, 0)})`);
  log(`  closed form ${fmtList(closedSoftmax, 10)}`);
  log('  Jacobian ∂s_i/∂z_j by autograd (rows i) | closed form s_i (δ_ij − s_j):');
  jacobian.forEach((row, i) => log(`    ${fmtList(row, 6)}   ${fmtList(closedJacobian[i]!, 6)}`));

  // Plots over [−4, 4].
  const grid = Array.from(linspace(-4, 4, 161, f64).data);
  const curves = ACTIVATIONS.map((a) => ({ name: a.name, ...valueAndDerivative(a.fn, grid) }));
  savePicture(args, 'activations', 'functions', lineChart(
    curves.map((c) => ({ name: c.name, values: c.values, x: grid })),
    { title: 'Activation functions', xLabel: 'x', yLabel: 'f(x)', markers: false },
  ));
  savePicture(args, 'activations', 'derivatives', lineChart(
    curves.map((c) => ({ name: `${c.name}'`, values: c.derivatives, x: grid })),
    { title: 'Their derivatives (autograd)', xLabel: 'x', yLabel: "f'(x)", markers: false },
  ));
  return { table, softmax, closedSoftmax, jacobian, closedJacobian };
}

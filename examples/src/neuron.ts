// Example 1: a single sigmoid neuron, then a 2-2-1 network of such neurons (feedforward only).
//
//   neuron:   y = sigmoid(w · x + b),  w = [0, 1], b = 0, x = [2, 3]  ->  sigmoid(3) = 0.9525741...
//   network:  h1 = h2 = neuron(x), o1 = neuron([h1, h2])                  ->  sigmoid(0.9525741) = 0.7216325...
import { stack, tensor, type Tensor } from '@tapegrad/core';
import { logger, type ExampleArgs } from './util.js';

/** A neuron: a weight vector and a bias; its output is sigmoid(w · x + b). */
class Neuron {
  constructor(
    readonly weights: Tensor,
    readonly bias: number,
  ) {}

  feedforward(inputs: Tensor): Tensor {
    return this.weights.dot(inputs).add(this.bias).sigmoid();
  }
}

/**
 * Two inputs, a hidden layer of two neurons (h1, h2) and one output neuron (o1), every neuron
 * with weights [0, 1] and bias 0.
 */
class NeuralNetwork {
  readonly h1: Neuron;
  readonly h2: Neuron;
  readonly o1: Neuron;

  constructor() {
    const weights = tensor([0, 1], { dtype: 'float64' });
    this.h1 = new Neuron(weights, 0);
    this.h2 = new Neuron(weights, 0);
    this.o1 = new Neuron(weights, 0);
  }

  feedforward(x: Tensor): { h1: number; h2: number; o1: number } {
    const h1 = this.h1.feedforward(x);
    const h2 = this.h2.feedforward(x);
    const o1 = this.o1.feedforward(stack([h1, h2]));
    return { h1: h1.item(), h2: h2.item(), o1: o1.item() };
  }
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const x = tensor([2, 3], { dtype: 'float64' });

  log('A single sigmoid neuron: weights [0, 1], bias 0, input x = [2, 3]');
  const n = new Neuron(tensor([0, 1], { dtype: 'float64' }), 0);
  const neuron = n.feedforward(x).item();
  log(`  sigmoid(0*2 + 1*3 + 0) = ${neuron}`);

  log('');
  log('A 2-2-1 network of such neurons (h1, h2 -> o1), input x = [2, 3]');
  const net = new NeuralNetwork().feedforward(x);
  log(`  h1 = ${net.h1}`);
  log(`  h2 = ${net.h2}`);
  log(`  o1 = ${net.o1}`);
  return { neuron, h1: net.h1, h2: net.h2, o1: net.o1 };
}

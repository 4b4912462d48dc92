// The list of examples: name, one-line description, and how to load it.
import type { ExampleModule } from './util.js';

export interface Entry {
  description: string;
  load: () => Promise<ExampleModule>;
}

/** Every example, in lecture order. */
export const EXAMPLES: Record<string, Entry> = {
  neuron: { description: 'a sigmoid neuron on x = [2, 3], then a 2-2-1 network of them (feedforward)', load: () => import('./neuron.js') },
  perceptron: { description: "Rosenblatt's perceptron on Iris setosa vs. versicolor: weights and errors per epoch, decision regions", load: () => import('./perceptron.js') },
  adaline: { description: 'Adaline by batch and stochastic gradient descent, raw and standardised features: SSE per epoch', load: () => import('./adaline.js') },
  'iris-neuron': { description: 'one sigmoid neuron on Iris (4 features): weights after 15 epochs, test predictions, dL/dw0 by autograd', load: () => import('./iris-neuron.js') },
  'logistic-regression': { description: 'vectorised logistic regression with binary cross-entropy on two Iris classes', load: () => import('./logistic-regression.js') },
  xor: { description: 'XOR with a 3-4-1 sigmoid network, no biases, SSE, 1500 steps of gradient descent', load: () => import('./xor.js') },
  backprop: { description: 'the 2-2-2 backpropagation worked example: every gradient by autograd, one step, the graph', load: () => import('./backprop.js') },
  'mnist-sigmoid': { description: 'MNIST 784-100-10 sigmoid network, normalised outputs, MSE, SGD eta 2.0, batches of 1000', load: () => import('./mnist-sigmoid.js') },
  'mnist-mlp': { description: 'MNIST 784-512-512-10 MLP with dropout and Adam (Keras mnist_mlp), and a small 784-20-10', load: () => import('./mnist-mlp.js') },
  'mnist-small': { description: 'MNIST 784-16-16-10 ReLU network, SGD lr 0.01, batch 10, 5 epochs', load: () => import('./mnist-small.js') },
  'mnist-cnn': { description: 'MNIST with the Keras convnet (Conv 32, pool, Conv 64, pool, Conv 64, Dense 64, Dense 10)', load: () => import('./mnist-cnn.js') },
  'deep-nn': { description: 'an L-layer network 2-3-5-4-2-1 on a toy set; 8-bit parity by a deep and a shallow network', load: () => import('./deep-nn.js') },
  onnx: { description: 'the MNIST convnet trained briefly, exported to ONNX and run by ONNX Runtime: both test accuracies', load: () => import('./onnx.js') },
};

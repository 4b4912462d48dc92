// The list of examples: name, one-line description, and how to load it.
import type { ExampleModule } from './util.js';

export interface Entry {
  description: string;
  load: () => Promise<ExampleModule>;
  /** The example's own numeric flags (`--steps 200`), name -> help text; run.ts refuses others. */
  flags?: Record<string, string>;
  /** The example's own on/off flags (`--original-rows`), name -> help text. */
  switches?: Record<string, string>;
}

/** Every example, in lecture order. */
export const EXAMPLES: Record<string, Entry> = {
  neuron: { description: 'a sigmoid neuron on x = [2, 3], then a 2-2-1 network of them (feedforward)', load: () => import('./neuron.js') },
  perceptron: { description: "Rosenblatt's perceptron on Iris setosa vs. versicolor: weights and errors per epoch, decision regions", load: () => import('./perceptron.js') },
  adaline: { description: 'Adaline by batch and stochastic gradient descent, raw and standardised features: SSE per epoch', load: () => import('./adaline.js') },
  'iris-neuron': { description: 'one sigmoid neuron on Iris (4 features): weights after 15 epochs, test predictions, dL/dw0 by autograd', load: () => import('./iris-neuron.js'), switches: { 'original-rows': "train on the original UCI rows 35 and 38 (the bundled Iris is the corrected version)" } },
  'logistic-regression': { description: 'vectorised logistic regression with binary cross-entropy on two Iris classes', load: () => import('./logistic-regression.js') },
  xor: { description: 'XOR with a 3-4-1 sigmoid network, no biases, SSE, 1500 steps of gradient descent', load: () => import('./xor.js') },
  backprop: { description: 'the 2-2-2 backpropagation worked example: every gradient by autograd, one step, the graph', load: () => import('./backprop.js') },
  'mnist-sigmoid': { description: "MNIST 784-100-10 sigmoid network, normalised outputs, MSE, SGD eta 2.0, batches of 1000: autograd's and the notes' hand gradient, 100 epochs each", load: () => import('./mnist-sigmoid.js') },
  'mnist-mlp': { description: 'MNIST 784-512-512-10 MLP with dropout and Adam (Keras mnist_mlp), and a small 784-20-10', load: () => import('./mnist-mlp.js') },
  'mnist-small': { description: 'MNIST 784-16-16-10 ReLU network, SGD lr 0.01, batch 10, 5 epochs', load: () => import('./mnist-small.js') },
  'mnist-cnn': { description: 'MNIST with the Keras convnet (Conv 32, pool, Conv 64, pool, Conv 64, Dense 64, Dense 10)', load: () => import('./mnist-cnn.js') },
  'deep-nn': { description: 'an L-layer network 2-3-5-4-2-1 on a toy set; 8-bit parity by a deep and a shallow network', load: () => import('./deep-nn.js') },
  'gender-network': { description: 'the 2-2-1 sigmoid network on the four-person weight/height table: MSE, per-sample SGD, loss every 10 epochs, new people', load: () => import('./gender-network.js') },
  'gradient-descent': { description: 'steepest descent on x² + y² from (1, 1) with eta 0.25 (the notes\' step), too small and too large: paths over contours', load: () => import('./gradient-descent.js') },
  activations: { description: 'sigmoid, tanh, ReLU, leaky ReLU, identity, softmax: value tables, autograd derivatives beside closed forms, plots', load: () => import('./activations.js') },
  'computational-graphs': { description: 'J = 4(x + y·z) and the sigmoid gate (0.73, gradient 0.2): every value and gradient by autograd, the graphs drawn', load: () => import('./computational-graphs.js') },
  'iris-3class': { description: 'three-class Iris with a 4-4-3 network, softmax outputs, cross-entropy: loss, accuracy, confusion matrix', load: () => import('./iris-3class.js') },
  initialization: { description: 'zero initialisation keeps the hidden units identical (pairwise differences 0) against small random weights', load: () => import('./initialization.js') },
  'lecture-misc': { description: 'the MSE worked example (0.5), the 3-4-2 weight count, one-hot encoding, VGG16 with summary() (138,357,544 parameters)', load: () => import('./lecture-misc.js') },
  lstm: { description: 'a character-level LSTM on lines of Shakespeare: padded, packed variable-length batches, Adam, clipping, a sample', load: () => import('./lstm.js') },
  autoencoder: { description: 'a convolutional autoencoder on MNIST (Conv2d down, ConvTranspose2d up, BCE, Adam): losses and a grid of reconstructions', load: () => import('./autoencoder.js') },
  'char-gpt': {
    description: 'a character-level GPT (4 pre-norm blocks, d=128) trained on tinyshakespeare with AdamW, warm-up + cosine, clipping; samples text',
    load: () => import('./char-gpt.js'),
    flags: {
      steps: 'training steps (default 1000; 200 with --quick)', layers: 'transformer blocks (default 4)', heads: 'attention heads (default 4)',
      dim: 'model width d (default 128)', context: 'context length T (default 64)', batch: 'sequences per batch (default 32)',
      lr: 'peak learning rate (default 3e-3)', 'eval-every': 'steps between two loss evaluations (default 100)', seed: 'seed (default 1337)',
    },
  },
  onnx: { description: 'the MNIST convnet trained briefly, exported to ONNX and run by ONNX Runtime: both test accuracies', load: () => import('./onnx.js') },
};

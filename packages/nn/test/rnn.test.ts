import { describe, expect, it } from 'vitest';
import { Generator, Tensor, ShapeError, ValueError, gradcheck, randn, stack, tensor } from '@tapegrad/core';
import {
  GRU, GRUCell, LSTM, LSTMCell, PackedSequence, RNN, RNNCell, packPaddedSequence, packSequence, padPackedSequence, padSequence, utils,
} from '@tapegrad/nn';

const f64 = (shape: number[], seed = 1, requiresGrad = false) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });
const opts = (seed = 0) => ({ dtype: 'float64' as const, generator: new Generator(seed) });

describe('RNN, LSTM and GRU', () => {
  it('name their parameters as PyTorch does, with _reverse and weight_hr keys', () => {
    expect(Object.keys(new LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 }).stateDict())).toEqual([
      'weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0',
      'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse', 'weight_hr_l0_reverse',
      'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'weight_hr_l1',
      'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse', 'weight_hr_l1_reverse',
    ]);
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
    expect(lstm.getParameter('weight_ih_l1').shape).toEqual([16, 4]);
    expect(lstm.getParameter('weight_hh_l1').shape).toEqual([16, 2]);
    expect(Object.keys(new GRU(3, 4, { bias: false }).stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('initialise every parameter from U(-1/sqrt(H), 1/sqrt(H))', () => {
    const gru = new GRU(3, 16, { numLayers: 2 });
    for (const p of gru.parameters()) {
      expect(p.abs().max().item()).toBeLessThanOrEqual(0.25);
      expect(p.abs().max().item()).toBeGreaterThan(0.2);
    }
  });

  it('give outputs and states of the documented shapes, batch-first and unbatched too', () => {
    const lstm = new LSTM(3, 5, { numLayers: 3, bidirectional: true, batchFirst: true, projSize: 2 });
    const [out, [h, c]] = lstm.call(randn([4, 7, 3]));
    expect([out.shape, h.shape, c.shape]).toEqual([[4, 7, 4], [6, 4, 2], [6, 4, 5]]);
    const rnn = new RNN(3, 5);
    const [o1, h1] = rnn.call(randn([7, 3]));
    expect([o1.shape, h1.shape]).toEqual([[7, 5], [1, 5]]);
  });

  it('equal a loop of the matching cell with the same weights', () => {
    const lstm = new LSTM(3, 4, opts(1));
    const cell = new LSTMCell(3, 4, opts(2));
    cell.loadStateDict({
      weight_ih: lstm.getParameter('weight_ih_l0'), weight_hh: lstm.getParameter('weight_hh_l0'),
      bias_ih: lstm.getParameter('bias_ih_l0'), bias_hh: lstm.getParameter('bias_hh_l0'),
    });
    const x = f64([5, 2, 3]), h0 = f64([1, 2, 4], 2), c0 = f64([1, 2, 4], 3);
    const [out, [hN, cN]] = lstm.call(x, [h0, c0]);
    let h = h0.select(0, 0), c = c0.select(0, 0);
    const outs: Tensor[] = [];
    for (const xt of x.unbind(0)) {
      [h, c] = cell.call(xt, [h, c]);
      outs.push(h);
    }
    expect(out).toBeAllClose(stack(outs), { rtol: 1e-12, atol: 1e-14 });
    expect(hN.select(0, 0)).toBeAllClose(h, { rtol: 1e-12, atol: 1e-14 });
    expect(cN.select(0, 0)).toBeAllClose(c, { rtol: 1e-12, atol: 1e-14 });

    const gru = new GRU(3, 4, opts(3)), gcell = new GRUCell(3, 4, opts(4));
    gcell.loadStateDict(Object.fromEntries(Object.entries(gru.stateDict()).map(([k, v]) => [k.replace('_l0', ''), v])));
    let g = f64([2, 4], 5);
    const [gout] = gru.call(x, g.unsqueeze(0));
    for (const xt of x.unbind(0)) g = gcell.call(xt, g);
    expect(gout.select(0, 4)).toBeAllClose(g, { rtol: 1e-12, atol: 1e-14 });
  });

  it('over a packed batch give each sequence the result of running it alone', () => {
    const gru = new GRU(3, 4, { ...opts(5), bidirectional: true, numLayers: 2 });
    const seqs = [f64([2, 3], 6), f64([5, 3], 7), f64([3, 3], 8)];
    const packed = packSequence(seqs, { enforceSorted: false });
    const [out, hN] = gru.call(packed);
    expect(out).toBeInstanceOf(PackedSequence);
    const [padded, lengths] = padPackedSequence(out);
    expect(lengths.toArray()).toEqual([2, 5, 3]);
    seqs.forEach((s, b) => {
      const [alone, hAlone] = gru.call(s.unsqueeze(1));
      expect(padded.narrow(0, 0, s.shape[0]!).select(1, b)).toBeAllClose(alone.squeeze(1), { rtol: 1e-12, atol: 1e-14 });
      expect(hN.select(1, b)).toBeAllClose(hAlone.squeeze(1), { rtol: 1e-12, atol: 1e-14 });
      if (s.shape[0]! < 5) expect(padded.narrow(0, s.shape[0]!, 5 - s.shape[0]!).select(1, b).abs().sum().item()).toBe(0);
    });
  });

  it('pass gradcheck in float64 (LSTM with projection, bidirectional, and a packed GRU)', () => {
    const lstm = new LSTM(2, 3, { ...opts(6), bidirectional: true, projSize: 2 });
    const x = f64([3, 2, 2], 9, true), h0 = f64([2, 2, 2], 10, true), c0 = f64([2, 2, 3], 11, true);
    expect(gradcheck((a, b, c) => {
      const [o, [h, cc]] = lstm.call(a!, [b!, c!]);
      return [o, h, cc];
    }, [x, h0, c0, ...lstm.parameters()]).ok).toBe(true);
    const gru = new GRU(2, 3, opts(7));
    const y = f64([3, 2, 2], 12, true);
    expect(gradcheck((a) => {
      const [o, h] = gru.call(packPaddedSequence(a!, [3, 1]));
      return [(o as PackedSequence).data, h];
    }, [y, ...gru.parameters()]).ok).toBe(true);
  });

  it('apply dropout between layers in training mode only', () => {
    const rnn = new RNN(3, 4, { numLayers: 2, dropout: 0.5, generator: new Generator(0) });
    const x = randn([5, 2, 3]);
    const [a] = rnn.eval().call(x), [b] = rnn.call(x);
    expect(a).toBeAllClose(b);
    const [c] = rnn.train().call(x);
    expect(c.sub(a).abs().max().item()).toBeGreaterThan(0);
  });

  it('throw naming the layer and shapes for bad inputs, states and options', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.call(randn([5, 2, 6]))).toThrow(ShapeError);
    expect(() => lstm.call(randn([5, 2, 6]))).toThrow(/LSTM: expected input with 3 features/);
    expect(() => lstm.call(randn([5, 2, 3]), [randn([1, 2, 4]), randn([2, 2, 4])])).toThrow(/h0 of shape \[2, ?2, ?4\]/);
    expect(() => lstm.call(randn([2, 3, 5, 3]))).toThrow(ShapeError);
    expect(() => new LSTM(3, 4, { projSize: 4 })).toThrow(/projSize \(4\) must be smaller than hiddenSize \(4\)/);
    expect(() => new RNN(3, 4, { projSize: 2 } as never)).toThrow(ValueError);
    expect(() => new GRU(3, 4, { nonlinearity: 'relu' } as never)).toThrow(ValueError);
    expect(() => new RNN(3, 4, { numLayer: 2 } as never)).toThrow(/numLayers/);
    expect(() => new RNN(3, 4, { dropout: 2 })).toThrow(/dropout must be in \[0, 1\]/);
    expect(() => new RNN(3, 0)).toThrow(/hiddenSize must be positive/);
    expect(() => new LSTMCell(3, 4).call(randn([2, 3]), [randn([2, 5]), randn([2, 4])])).toThrow(/hx must have shape \[2, ?4\]/);
    expect(() => new GRUCell(3, 4).call(randn([2, 5]))).toThrow(ShapeError);
  });
});

describe('cells', () => {
  it('accept unbatched inputs and default to zero states', () => {
    const cell = new RNNCell(3, 4, { nonlinearity: 'relu', ...opts(8) });
    const x = f64([3], 13);
    const h = cell.call(x);
    expect(h.shape).toEqual([4]);
    const want = x.matmul(cell.weight_ih.t()).add(cell.bias_ih!).add(cell.bias_hh!).relu();
    expect(h).toBeAllClose(want, { rtol: 1e-12, atol: 1e-14 });
  });
});

describe('utils.rnn', () => {
  it('padSequence pads with paddingValue, time-major by default', () => {
    const p = padSequence([tensor([[1, 2], [3, 4]]), tensor([[5, 6]])], { paddingValue: -1 });
    expect(p.toArray()).toEqual([[[1, 2], [5, 6]], [[3, 4], [-1, -1]]]);
    expect(utils.rnn.padSequence).toBe(padSequence);
  });

  it('packPaddedSequence and padPackedSequence round-trip, unsorted and batch-first, with totalLength', () => {
    const x = tensor([[1, 2, 0, 0], [3, 4, 5, 6], [7, 0, 0, 0]]);
    const p = packPaddedSequence(x, tensor([2, 4, 1], { dtype: 'int32' }), { batchFirst: true, enforceSorted: false });
    expect(p.data.toArray()).toEqual([3, 1, 7, 4, 2, 5, 6]);
    expect(p.batchSizes.toArray()).toEqual([3, 2, 1, 1]);
    expect(p.sortedIndices!.toArray()).toEqual([1, 0, 2]);
    expect(p.unsortedIndices!.toArray()).toEqual([1, 0, 2]);
    const [y, lengths] = padPackedSequence(p, { batchFirst: true, totalLength: 5, paddingValue: 9 });
    expect(y.toArray()).toEqual([[1, 2, 9, 9, 9], [3, 4, 5, 6, 9], [7, 9, 9, 9, 9]]);
    expect(lengths.toArray()).toEqual([2, 4, 1]);
  });

  it('the packing passes gradients back to the padded input (zero on the padding)', () => {
    const x = f64([3, 2], 14, true);
    const p = packPaddedSequence(x, [3, 1]);
    p.data.sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 1], [1, 0], [1, 0]]);
  });

  it('throw for bad lengths and options', () => {
    expect(() => packPaddedSequence(randn([3, 2]), [1, 3])).toThrow(/sorted in decreasing order/);
    expect(() => packPaddedSequence(randn([3, 2]), [4, 1])).toThrow(/every length must be in \[1, 3\]/);
    expect(() => packPaddedSequence(randn([3, 2]), [3])).toThrow(/expected 2 lengths/);
    expect(() => packPaddedSequence(randn([3, 2]), [3, 1], { sorted: true } as never)).toThrow(ValueError);
    expect(() => padPackedSequence(packSequence([tensor([1, 2])]), { totalLength: 1 })).toThrow(/totalLength 1/);
    expect(() => padSequence([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow(ShapeError);
  });
});

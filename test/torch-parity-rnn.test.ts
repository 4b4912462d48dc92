/**
 * PyTorch parity of @tapegrad/nn's recurrent layers: each case of
 * test/fixtures/torch/nn-rnn.json (written by scripts/torch-fixtures/nn_rnn.py) builds the layer,
 * loads PyTorch's state dict by key, runs the same input (padded, packed or a single step) and
 * compares the outputs and the gradients w.r.t. the input, the initial states and every parameter.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, grad } from '@tapegrad/core';
import {
  GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, packPaddedSequence, padPackedSequence, type AnyModule,
} from '@tapegrad/nn';
import { TIGHT, dec, load, type Enc, type Params } from './torch-fixtures.js';
import './matchers.js';

interface RnnCase {
  name: string;
  module: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';
  args: [number, number];
  opts: Params;
  state: Record<string, Enc>;
  inputs: Record<string, Enc>;
  lengths: number[] | null;
  enforceSorted: boolean;
  out: Record<string, Enc>;
  upstream: Record<string, Enc>;
  grads: Record<string, Enc>;
}

function build(c: RnnCase): AnyModule {
  const [i, h] = c.args;
  const opts = { ...c.opts, dtype: 'float64' as const };
  switch (c.module) {
    case 'RNN': return new RNN(i, h, opts);
    case 'LSTM': return new LSTM(i, h, opts);
    case 'GRU': return new GRU(i, h, opts);
    case 'RNNCell': return new RNNCell(i, h, opts);
    case 'LSTMCell': return new LSTMCell(i, h, opts);
    case 'GRUCell': return new GRUCell(i, h, opts);
  }
}

/** Runs the case's module and returns its outputs by the fixture's names. */
function run(c: RnnCase, m: AnyModule, inputs: Record<string, Tensor>): Record<string, Tensor> {
  const { x, h0, c0 } = inputs;
  const hx = c.module.startsWith('LSTM') ? (h0 ? [h0, c0!] : undefined) : h0;
  if (c.module === 'LSTMCell') {
    const [h, cc] = m.call(x, hx) as [Tensor, Tensor];
    return { h, c: cc };
  }
  if (c.module.endsWith('Cell')) return { h: m.call(x, hx) as Tensor };
  const batchFirst = c.opts.batchFirst === true;
  const feed = c.lengths ? packPaddedSequence(x!, c.lengths, { batchFirst, enforceSorted: c.enforceSorted }) : x;
  const [out, state] = m.call(feed, hx) as [unknown, Tensor | [Tensor, Tensor]];
  const output = c.lengths ? padPackedSequence(out as never, { batchFirst })[0] : (out as Tensor);
  return Array.isArray(state) ? { output, hN: state[0], cN: state[1] } : { output, hN: state };
}

describe('recurrent layers vs PyTorch', () => {
  const fixture = load<RnnCase>('nn-rnn');
  it('the fixture names its generator', () => {
    expect(fixture.generator).toBe('scripts/torch-fixtures/nn_rnn.py');
  });
  for (const c of fixture.cases) {
    it(`${c.name}: outputs and gradients match PyTorch`, () => {
      const m = build(c);
      const sd = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)]));
      expect(m.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, dec(v, { requiresGrad: true })]));
      const outs = run(c, m, inputs);
      expect(Object.keys(outs).sort()).toEqual(Object.keys(c.out).sort());
      let loss: Tensor | null = null;
      for (const [k, want] of Object.entries(c.out)) {
        expect(outs[k]!, `output ${k}`).toBeAllClose(dec(want), TIGHT);
        const term = outs[k]!.mul(dec(c.upstream[k]!)).sum();
        loss = loss ? loss.add(term) : term;
      }
      const params = new Map(m.namedParameters());
      const names = Object.keys(c.grads);
      const wrt = names.map((k) => (k.startsWith('param:') ? params.get(k.slice(6))! : inputs[k]!));
      const gs = grad(loss!, wrt, { allowUnused: true });
      names.forEach((k, i) => expect(gs[i] ?? wrt[i]!.mul(0), `gradient of ${k}`).toBeAllClose(dec(c.grads[k]!), TIGHT));
      expect(names.filter((k) => k.startsWith('param:')).length).toBe(params.size);
    });
  }
});

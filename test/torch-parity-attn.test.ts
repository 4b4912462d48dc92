/**
 * Parity with PyTorch for attention and transformers: F.scaledDotProductAttention against
 * PyTorch's documented reference computation, and MultiheadAttention / TransformerEncoderLayer /
 * TransformerEncoder / TransformerDecoderLayer / Transformer modules whose state dicts, saved by
 * PyTorch 1.13 in float64, load into tapegrad's modules by key and give PyTorch's outputs and
 * gradients (of the inputs and of every parameter) to rtol 1e-10. Dropout is off (eval mode).
 *
 * Fixture: test/fixtures/torch/nn-attn.json, written by scripts/torch-fixtures/nn_attn.py.
 */
import { describe, expect, it } from 'vitest';
import { Tensor } from '@tapegrad/core';
import {
  Embedding, EmbeddingBag, F, MultiheadAttention, Transformer, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer, type AnyModule,
} from '@tapegrad/nn';
import { TIGHT, dec, load, vjp, type Enc, type Params } from './torch-fixtures.js';

/** What every case stores: inputs, PyTorch's outputs, the upstream gradients and PyTorch's gradients. */
interface IOCase {
  name: string;
  inputs: Record<string, Enc>;
  out: Array<Enc | null>;
  upstream: Enc[];
  grads: Record<string, Enc>;
}

/** A case of a module built from `ctor` whose state dict PyTorch saved. */
interface LoadedCase extends IOCase {
  ctor: Params;
  state: Record<string, Enc>;
}

interface SdpaCase extends IOCase {
  kind: 'sdpa';
  params: Params;
  out: Enc[];
}

interface EmbeddingCase extends LoadedCase {
  kind: 'embedding';
  out: Enc[];
  /** The table after the forward (rows renormalised in place). */
  weightAfter: Enc;
}

interface EmbeddingBagCase extends LoadedCase {
  kind: 'embeddingBag';
  out: Enc[];
}

interface ModuleCase extends LoadedCase {
  kind: 'mha' | 'encoderLayer' | 'encoder' | 'decoderLayer' | 'transformer';
  /** Forward options: a string value names a mask of `masks`. */
  forward: Params;
  masks: Record<string, Enc>;
}

const fixture = load<SdpaCase | ModuleCase | EmbeddingCase | EmbeddingBagCase>('nn-attn');

function build(c: ModuleCase): AnyModule {
  const { embedDim, numHeads, dModel, nhead, numLayers, ...rest } = c.ctor;
  const opts = { ...rest, dtype: 'float64' as const };
  switch (c.kind) {
    case 'mha': return new MultiheadAttention(embedDim, numHeads, opts);
    case 'encoderLayer': return new TransformerEncoderLayer(dModel, nhead, opts);
    case 'encoder': return new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, opts), numLayers);
    case 'decoderLayer': return new TransformerDecoderLayer(dModel, nhead, opts);
    case 'transformer': return new Transformer({ dModel, nhead, ...opts });
  }
}

function run(c: ModuleCase, m: AnyModule, x: Record<string, Tensor>): Array<Tensor | null> {
  const masks = Object.fromEntries(Object.entries(c.masks).map(([k, e]) => [k, dec(e)]));
  const fwd = Object.fromEntries(Object.entries(c.forward).map(([k, v]) => [k, typeof v === 'string' ? masks[v] : v]));
  switch (c.kind) {
    case 'mha': {
      const key = x.key ?? x.query!;
      const [out, w] = (m as MultiheadAttention).call(x.query!, key, x.value ?? key, fwd);
      return c.out.length === 2 ? [out, w] : [out];
    }
    case 'encoderLayer': return [(m as TransformerEncoderLayer).call(x.src!, fwd)];
    case 'encoder': return [(m as TransformerEncoder).call(x.src!, fwd)];
    case 'decoderLayer': return [(m as TransformerDecoderLayer).call(x.tgt!, x.memory!, fwd)];
    case 'transformer': return [(m as Transformer).call(x.src!, x.tgt!, fwd)];
  }
}

describe('attention and transformers vs PyTorch', () => {
  it('reads the fixture written by scripts/torch-fixtures/nn_attn.py', () => {
    expect(fixture.generator).toBe('scripts/torch-fixtures/nn_attn.py');
    expect(fixture.cases.length).toBeGreaterThan(10);
  });

  for (const c of fixture.cases) {
    if (c.kind === 'sdpa')
      it(`${c.name} matches PyTorch`, () => {
        const q = dec(c.inputs.query!, { requiresGrad: true });
        const k = dec(c.inputs.key!, { requiresGrad: true });
        const v = dec(c.inputs.value!, { requiresGrad: true });
        const attnMask = c.inputs.attnMask ? dec(c.inputs.attnMask) : undefined;
        const out = F.scaledDotProductAttention(q, k, v, { attnMask, ...c.params });
        expect(out, 'output').toBeAllClose(dec(c.out[0]!), TIGHT);
        const gs = vjp([out], [dec(c.upstream[0]!)], [q, k, v]);
        ['query', 'key', 'value'].forEach((n, i) => expect(gs[i]!, `gradient of ${n}`).toBeAllClose(dec(c.grads[n]!), TIGHT));
      });
    else if (c.kind === 'embedding')
      it(`${c.name}: renormalises the looked-up rows in place and matches PyTorch`, () => {
        const { numEmbeddings, embeddingDim, ...opts } = c.ctor;
        const emb = new Embedding(numEmbeddings, embeddingDim, { ...opts, dtype: 'float64' });
        emb.loadStateDict({ weight: dec(c.state.weight!) });
        const out = emb.call(dec(c.inputs.input!));
        expect(out, 'output').toBeAllClose(dec(c.out[0]!), TIGHT);
        expect(emb.weight, 'weight after the forward').toBeAllClose(dec(c.weightAfter), TIGHT);
        const [g] = vjp([out], [dec(c.upstream[0]!)], [emb.weight]);
        expect(g!, 'gradient of weight').toBeAllClose(dec(c.grads.weight!), TIGHT);
      });
    else if (c.kind === 'embeddingBag')
      it(`${c.name} matches PyTorch`, () => {
        const { numEmbeddings, embeddingDim, ...opts } = c.ctor;
        const bag = new EmbeddingBag(numEmbeddings, embeddingDim, { ...opts, dtype: 'float64' });
        bag.loadStateDict({ weight: dec(c.state.weight!) });
        const psw = c.inputs.perSampleWeights ? dec(c.inputs.perSampleWeights, { requiresGrad: true }) : null;
        const offsets = c.inputs.offsets ? dec(c.inputs.offsets) : null;
        const out = bag.call(dec(c.inputs.input!), { offsets, perSampleWeights: psw });
        expect(out, 'output').toBeAllClose(dec(c.out[0]!), TIGHT);
        const gs = vjp([out], [dec(c.upstream[0]!)], psw ? [bag.weight, psw] : [bag.weight]);
        expect(gs[0]!, 'gradient of weight').toBeAllClose(dec(c.grads.weight!), TIGHT);
        if (psw) expect(gs[1]!, 'gradient of perSampleWeights').toBeAllClose(dec(c.grads.perSampleWeights!), TIGHT);
      });
    else
      it(`${c.name}: the PyTorch state dict loads by key and gives PyTorch's outputs and gradients`, () => {
        const m = build(c).eval();
        const state = Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, dec(e)]));
        expect(new Set(Object.keys(m.stateDict()))).toEqual(new Set(Object.keys(state)));
        m.loadStateDict(state);
        const x = Object.fromEntries(Object.entries(c.inputs).map(([k, e]) => [k, dec(e, { requiresGrad: true })]));
        const outs = run(c, m, x);
        expect(outs.length, 'number of outputs').toBe(c.out.length);
        outs.forEach((o, i) => {
          if (c.out[i] === null) expect(o, `output ${i}`).toBeNull();
          else expect(o!, `output ${i}`).toBeAllClose(dec(c.out[i]!), TIGHT);
        });
        const live = outs.filter((o): o is Tensor => o !== null);
        const params = Object.fromEntries(m.namedParameters());
        const names = Object.keys(c.grads);
        const wrt = names.map((n) => x[n] ?? params[n]!);
        const gs = vjp(live, c.upstream.map((u) => dec(u)), wrt);
        names.forEach((n, i) => expect(gs[i]!, `gradient of ${n}`).toBeAllClose(dec(c.grads[n]!), TIGHT));
        expect(names.length).toBe(Object.keys(c.inputs).length + Object.keys(params).length);
      });
  }
});

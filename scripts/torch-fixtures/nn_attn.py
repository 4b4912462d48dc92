"""PyTorch fixtures for attention and transformers: test/fixtures/torch/nn-attn.json.

Run with /usr/bin/python3 (torch 1.13) from the repo root:
    /usr/bin/python3 scripts/torch-fixtures/nn_attn.py

Two kinds of case:
- 'sdpa': F.scaled_dot_product_attention, which torch 1.13 does not have: its documented
  reference computation (PyTorch 2.x docs) is spelled out below in torch ops (bool mask true =
  attend, float mask added, is_causal = lower-triangular, scale default 1/sqrt(E)).
- 'module': a MultiheadAttention / Transformer* module built in float64 with a fixed seed,
  in eval mode (dropout off); its state_dict by PyTorch's keys, the inputs and masks, the
  outputs, and the gradients of a random upstream w.r.t. the float inputs and every parameter.
"""
import math

import torch
import torch.nn as nn

from common import enc, r, write

torch.manual_seed(0)
cases = []


def sdpa_reference(q, k, v, attn_mask=None, is_causal=False, scale=None):
    L, S = q.size(-2), k.size(-2)
    scale_factor = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=q.dtype)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias = attn_bias.masked_fill(temp_mask.logical_not(), float('-inf'))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias = attn_bias.masked_fill(attn_mask.logical_not(), float('-inf'))
        else:
            attn_bias = attn_mask + attn_bias
    w = q @ k.transpose(-2, -1) * scale_factor
    w = w + attn_bias
    w = torch.softmax(w, dim=-1)
    return w @ v


def sdpa_case(name, q, k, v, mask=None, params=None):
    params = params or {}
    leaves = {n: t.clone().requires_grad_(True) for n, t in (('query', q), ('key', k), ('value', v))}
    out = sdpa_reference(leaves['query'], leaves['key'], leaves['value'], attn_mask=mask,
                         is_causal=params.get('isCausal', False), scale=params.get('scale'))
    up = r(*out.shape, decimals=2)
    grads = torch.autograd.grad(out, list(leaves.values()), up)
    inputs = {'query': enc(q, exact=True), 'key': enc(k, exact=True), 'value': enc(v, exact=True)}
    if mask is not None:
        inputs['attnMask'] = enc(mask, exact=True)
    cases.append({
        'name': name, 'kind': 'sdpa', 'params': params, 'inputs': inputs,
        'out': [enc(out)], 'upstream': [enc(up, exact=True)],
        'grads': {n: enc(g) for n, g in zip(leaves, grads)},
    })


q, k, v = r(2, 3, 4, 5), r(2, 3, 6, 5), r(2, 3, 6, 7)
sdpa_case('sdpa: no mask, batch [2, 3], L 4, S 6', q, k, v)
sdpa_case('sdpa: explicit scale', q, k, v, params={'scale': 0.3})
bool_mask = torch.rand(4, 6) > 0.3
bool_mask[:, 0] = True  # every query attends to something
sdpa_case('sdpa: bool mask [L, S] (true = attend)', q, k, v, mask=bool_mask)
sdpa_case('sdpa: additive float mask [2, 1, L, S]', q, k, v, mask=r(2, 1, 4, 6))
qs = r(2, 5, 4)
sdpa_case('sdpa: isCausal, L = S = 5', qs, r(2, 5, 4), r(2, 5, 3), params={'isCausal': True})
sdpa_case('sdpa: isCausal, L 3 < S 5 (upper-left aligned)', r(3, 4), r(5, 4), r(5, 2), params={'isCausal': True})


def module_case(name, kind, ctor, module, inputs, masks, call, fwd=None):
    """Records a module's state dict, outputs and the gradients of inputs and parameters."""
    module.eval()
    leaves = {n: t.clone().requires_grad_(True) for n, t in inputs.items()}
    outs = call(module, leaves, masks)
    outs = [o for o in (outs if isinstance(outs, (tuple, list)) else [outs])]
    live = [o for o in outs if o is not None]
    ups = [r(*o.shape, decimals=2) for o in live]
    named = list(module.named_parameters())
    wrt = list(leaves.values()) + [p for _, p in named]
    grads = torch.autograd.grad(live, wrt, ups, allow_unused=True)
    keys = list(leaves) + [n for n, _ in named]
    cases.append({
        'name': name, 'kind': kind, 'ctor': ctor, 'forward': fwd or {},
        'state': {k: enc(t, exact=True) for k, t in module.state_dict().items()},
        'inputs': {n: enc(t, exact=True) for n, t in inputs.items()},
        'masks': {n: enc(t, exact=True) for n, t in masks.items()},
        'out': [enc(o) for o in outs],
        'upstream': [enc(u, exact=True) for u in ups],
        'grads': {k: enc(g if g is not None else torch.zeros_like(w)) for k, g, w in zip(keys, grads, wrt)},
    })


def mha_call(**kw):
    def call(m, x, masks):
        key = x.get('key', x['query'])
        value = x.get('value', key)
        return m(x['query'], key, value, **{k: masks[v] for k, v in kw.items()})
    return call


def mha_weights_call(need_weights=True, average=True, **kw):
    def call(m, x, masks):
        key = x.get('key', x['query'])
        value = x.get('value', key)
        out, w = m(x['query'], key, value, need_weights=need_weights, average_attn_weights=average,
                   **{k: masks[v] for k, v in kw.items()})
        return [out, w]
    return call


E, H, L, S, N = 8, 2, 4, 5, 3

# MultiheadAttention, sequence first: self-attention with a bool attn_mask (true = masked).
m = nn.MultiheadAttention(E, H)
attn_bool = torch.rand(L, L) > 0.6
attn_bool.fill_diagonal_(False)
module_case('MultiheadAttention: self-attention, bool attnMask (true = masked), averaged weights',
            'mha', {'embedDim': E, 'numHeads': H}, m,
            {'query': r(L, N, E)}, {'attnMask': attn_bool}, mha_weights_call(attn_mask='attnMask'),
            {'attnMask': 'attnMask'})

# cross-attention, batch first, key padding mask, per-head weights, additive attn_mask
m = nn.MultiheadAttention(E, H, batch_first=True)
kpm = torch.zeros(N, S, dtype=torch.bool)
kpm[0, 3:] = True
kpm[2, 4] = True
module_case('MultiheadAttention: batchFirst cross-attention, keyPaddingMask, additive attnMask, per-head weights',
            'mha', {'embedDim': E, 'numHeads': H, 'batchFirst': True}, m,
            {'query': r(N, L, E), 'key': r(N, S, E), 'value': r(N, S, E)},
            {'kpm': kpm, 'attnMask': r(L, S)},
            mha_weights_call(average=False, key_padding_mask='kpm', attn_mask='attnMask'),
            {'keyPaddingMask': 'kpm', 'attnMask': 'attnMask', 'averageAttnWeights': False})

# kdim / vdim (separate projection weights), 3-D bool mask, needWeights false
m = nn.MultiheadAttention(E, H, kdim=3, vdim=6)
mask3 = torch.rand(N * H, L, S) > 0.6
mask3[:, :, 0] = False
module_case('MultiheadAttention: kdim 3, vdim 6, 3-D bool attnMask, needWeights false',
            'mha', {'embedDim': E, 'numHeads': H, 'kdim': 3, 'vdim': 6}, m,
            {'query': r(L, N, E), 'key': r(S, N, 3), 'value': r(S, N, 6)}, {'attnMask': mask3},
            mha_weights_call(need_weights=False, attn_mask='attnMask'),
            {'attnMask': 'attnMask', 'needWeights': False})

# bias false, add_bias_kv, add_zero_attn, key padding mask and bool mask together
m = nn.MultiheadAttention(E, 4, bias=False, add_bias_kv=True, add_zero_attn=True)
module_case('MultiheadAttention: bias false, addBiasKv, addZeroAttn, bool attnMask and keyPaddingMask',
            'mha', {'embedDim': E, 'numHeads': 4, 'bias': False, 'addBiasKv': True, 'addZeroAttn': True}, m,
            {'query': r(L, N, E), 'key': r(S, N, E)}, {'kpm': kpm, 'attnMask': torch.rand(L, S) > 0.5},
            mha_weights_call(key_padding_mask='kpm', attn_mask='attnMask'),
            {'keyPaddingMask': 'kpm', 'attnMask': 'attnMask'})

# unbatched
m = nn.MultiheadAttention(E, H)
module_case('MultiheadAttention: unbatched [L, E] with a key padding mask [S]',
            'mha', {'embedDim': E, 'numHeads': H}, m,
            {'query': r(L, E), 'key': r(S, E), 'value': r(S, E)}, {'kpm': torch.tensor([False, False, True, False, True])},
            mha_weights_call(key_padding_mask='kpm'), {'keyPaddingMask': 'kpm'})

# Transformer encoder layers: the case (normFirst, causal mask, batchFirst)
causal = nn.Transformer.generate_square_subsequent_mask(L)
layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=16, dropout=0.0, batch_first=True, norm_first=True)
module_case('TransformerEncoderLayer: normFirst, causal mask, batchFirst',
            'encoderLayer', {'dModel': E, 'nhead': H, 'dimFeedforward': 16, 'dropout': 0, 'batchFirst': True, 'normFirst': True},
            layer, {'src': r(N, L, E)}, {'srcMask': causal},
            lambda m, x, k: m(x['src'], src_mask=k['srcMask']), {'srcMask': 'srcMask'})
module_case('TransformerEncoderLayer: normFirst, isCausal instead of a mask, batchFirst',
            'encoderLayer', {'dModel': E, 'nhead': H, 'dimFeedforward': 16, 'dropout': 0, 'batchFirst': True, 'normFirst': True},
            layer, {'src': r(N, L, E)}, {'srcMask': causal},
            lambda m, x, k: m(x['src'], src_mask=k['srcMask']), {'isCausal': True})
layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=12, dropout=0.0, activation='gelu')
module_case('TransformerEncoderLayer: post-norm, gelu, sequence first, key padding mask',
            'encoderLayer', {'dModel': E, 'nhead': H, 'dimFeedforward': 12, 'dropout': 0, 'activation': 'gelu'},
            layer, {'src': r(S, N, E)}, {'kpm': kpm},
            lambda m, x, k: m(x['src'], src_key_padding_mask=k['kpm']), {'srcKeyPaddingMask': 'kpm'})

enc_layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=16, dropout=0.0, batch_first=True)
encoder = nn.TransformerEncoder(enc_layer, 2, enable_nested_tensor=False)
for p in encoder.parameters():  # the clones start equal: make them differ
    with torch.no_grad():
        p.add_(torch.randn(p.shape) * 0.1)
module_case('TransformerEncoder: 2 layers, batchFirst, causal mask and key padding mask',
            'encoder', {'dModel': E, 'nhead': H, 'dimFeedforward': 16, 'dropout': 0, 'batchFirst': True, 'numLayers': 2},
            encoder, {'src': r(N, S, E)}, {'mask': nn.Transformer.generate_square_subsequent_mask(S), 'kpm': kpm},
            lambda m, x, k: m(x['src'], mask=k['mask'], src_key_padding_mask=k['kpm']),
            {'mask': 'mask', 'srcKeyPaddingMask': 'kpm'})

T = 3
dec_layer = nn.TransformerDecoderLayer(E, H, dim_feedforward=16, dropout=0.0, norm_first=True)
module_case('TransformerDecoderLayer: normFirst, causal tgt mask, memory key padding mask',
            'decoderLayer', {'dModel': E, 'nhead': H, 'dimFeedforward': 16, 'dropout': 0, 'normFirst': True},
            dec_layer, {'tgt': r(T, N, E), 'memory': r(S, N, E)},
            {'tgtMask': nn.Transformer.generate_square_subsequent_mask(T), 'mkpm': kpm},
            lambda m, x, k: m(x['tgt'], x['memory'], tgt_mask=k['tgtMask'], memory_key_padding_mask=k['mkpm']),
            {'tgtMask': 'tgtMask', 'memoryKeyPaddingMask': 'mkpm'})

model = nn.Transformer(d_model=E, nhead=H, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=12,
                       dropout=0.0, batch_first=True, activation='gelu')
for p in model.parameters():
    with torch.no_grad():
        p.add_(torch.randn(p.shape) * 0.1)
module_case('Transformer: 2 encoder and 1 decoder layers, batchFirst, gelu, causal tgt mask, padding masks',
            'transformer', {'dModel': E, 'nhead': H, 'numEncoderLayers': 2, 'numDecoderLayers': 1, 'dimFeedforward': 12,
                            'dropout': 0, 'batchFirst': True, 'activation': 'gelu'},
            model, {'src': r(N, S, E), 'tgt': r(N, T, E)},
            {'tgtMask': nn.Transformer.generate_square_subsequent_mask(T), 'kpm': kpm},
            lambda m, x, k: m(x['src'], x['tgt'], tgt_mask=k['tgtMask'], src_key_padding_mask=k['kpm'],
                              memory_key_padding_mask=k['kpm']),
            {'tgtMask': 'tgtMask', 'srcKeyPaddingMask': 'kpm', 'memoryKeyPaddingMask': 'kpm'})


# Embedding with max_norm: the looked-up rows are renormalised in place before the lookup.
for name, kw in (('Embedding: maxNorm 1.5 (2-norm), paddingIdx 0, repeated indices', {'max_norm': 1.5, 'padding_idx': 0}),
                 ('Embedding: maxNorm 2 with normType 1', {'max_norm': 2.0, 'norm_type': 1.0})):
    emb = nn.Embedding(7, 4, **kw)
    with torch.no_grad():
        emb.weight.mul_(1.5)
    before = {k: enc(t, exact=True) for k, t in emb.state_dict().items()}
    idx = torch.tensor([[0, 2, 5], [2, 6, 1]])
    out = emb(idx)
    up = r(*out.shape, decimals=2)
    g, = torch.autograd.grad(out, [emb.weight], up)
    cases.append({
        'name': name, 'kind': 'embedding',
        'ctor': {'numEmbeddings': 7, 'embeddingDim': 4, 'maxNorm': kw['max_norm'], 'normType': kw.get('norm_type', 2.0),
                 'paddingIdx': kw.get('padding_idx')},
        'state': before, 'inputs': {'input': enc(idx)}, 'out': [enc(out)], 'upstream': [enc(up, exact=True)],
        'grads': {'weight': enc(g)}, 'weightAfter': enc(emb.weight),
    })

# EmbeddingBag: bags from a 2-D input or from offsets, sum/mean/max, per-sample weights, padding.
def bag_case(name, ctor, kw, idx, offsets=None, psw=None):
    bag = nn.EmbeddingBag(7, 3, **kw)
    state = {k: enc(t, exact=True) for k, t in bag.state_dict().items()}
    pw = psw.clone().requires_grad_(True) if psw is not None else None
    out = bag(idx, offsets, per_sample_weights=pw)
    up = r(*out.shape, decimals=2)
    wrt = [bag.weight] + ([pw] if pw is not None else [])
    gs = torch.autograd.grad(out, wrt, up)
    inputs = {'input': enc(idx)}
    if offsets is not None:
        inputs['offsets'] = enc(offsets)
    if psw is not None:
        inputs['perSampleWeights'] = enc(psw, exact=True)
    grads = {'weight': enc(gs[0])}
    if psw is not None:
        grads['perSampleWeights'] = enc(gs[1])
    cases.append({'name': name, 'kind': 'embeddingBag', 'ctor': dict(numEmbeddings=7, embeddingDim=3, **ctor), 'state': state,
                  'inputs': inputs, 'out': [enc(out)], 'upstream': [enc(up, exact=True)], 'grads': grads})


flat = torch.tensor([1, 2, 4, 5, 4, 3, 2, 6])
bag_case('EmbeddingBag: mean of 2-D bags', {}, {}, torch.tensor([[1, 2, 4], [5, 4, 3]]))
bag_case('EmbeddingBag: sum with offsets and per-sample weights, an empty bag', {'mode': 'sum'}, {'mode': 'sum'},
         flat, torch.tensor([0, 3, 3, 6]), r(8))
bag_case('EmbeddingBag: max with offsets and includeLastOffset', {'mode': 'max', 'includeLastOffset': True},
         {'mode': 'max', 'include_last_offset': True}, flat, torch.tensor([0, 2, 5, 8]))
bag_case('EmbeddingBag: mean with paddingIdx 4 left out of the bags', {'paddingIdx': 4}, {'padding_idx': 4},
         flat, torch.tensor([0, 2, 5]))

write('nn-attn', cases)

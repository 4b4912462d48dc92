"""Reference values of @tapegrad/nn's recurrent layers (RNN, LSTM, GRU, their cells, packed
sequences) from PyTorch, for test/torch-parity-rnn.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch), float64, seed 0. Regenerate from the
repository root with:

    /usr/bin/python3 scripts/torch-fixtures/nn_rnn.py

which rewrites test/fixtures/torch/nn-rnn.json. Each case stores the module's class and options
(tapegrad's camelCase names), its state_dict by PyTorch's keys, the inputs (x, optional h0/c0 and
sequence lengths), the outputs (output padded in batch order, hN, cN), a random upstream gradient
for each output and the gradients of sum(output * upstream) w.r.t. the inputs and every parameter.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from common import enc, r, write

torch.manual_seed(0)
cases = []

TORCH_NAMES = {'numLayers': 'num_layers', 'batchFirst': 'batch_first', 'projSize': 'proj_size'}


def run(name, cls, args, opts, x, h0=None, c0=None, lengths=None, enforce_sorted=True):
    kw = {TORCH_NAMES.get(k, k): v for k, v in opts.items()}
    m = getattr(nn, cls)(*args, **kw).double()
    x = x.clone().requires_grad_(True)
    inputs = {'x': x}
    if h0 is not None:
        inputs['h0'] = h0.clone().requires_grad_(True)
    if c0 is not None:
        inputs['c0'] = c0.clone().requires_grad_(True)
    cell = cls.endswith('Cell')
    if cls.startswith('LSTM'):
        hx = (inputs['h0'], inputs['c0']) if h0 is not None else None
    else:
        hx = inputs.get('h0')
    feed = x
    if lengths is not None:
        feed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=opts.get('batchFirst', False),
                                    enforce_sorted=enforce_sorted)
    res = m(feed, hx)
    if cell:
        outs = {'h': res[0], 'c': res[1]} if cls == 'LSTMCell' else {'h': res}
    else:
        out, state = res
        if lengths is not None:
            out, _ = pad_packed_sequence(out, batch_first=opts.get('batchFirst', False))
        outs = {'output': out}
        if cls == 'LSTM':
            outs['hN'], outs['cN'] = state
        else:
            outs['hN'] = state
    ups = {k: r(*v.shape, decimals=2) for k, v in outs.items()}
    loss = sum((v * ups[k]).sum() for k, v in outs.items())
    params = dict(m.named_parameters())
    wrt = {**inputs, **{f'param:{k}': v for k, v in params.items()}}
    grads = torch.autograd.grad(loss, list(wrt.values()), allow_unused=True)
    cases.append({
        'name': name, 'module': cls, 'args': list(args), 'opts': opts,
        'state': {k: enc(v, exact=True) for k, v in m.state_dict().items()},
        'inputs': {k: enc(v, exact=True) for k, v in inputs.items()},
        'lengths': lengths, 'enforceSorted': enforce_sorted,
        'out': {k: enc(v) for k, v in outs.items()},
        'upstream': {k: enc(v, exact=True) for k, v in ups.items()},
        'grads': {k: enc(g if g is not None else torch.zeros_like(wrt[k])) for k, g in zip(wrt, grads)},
    })


run('LSTM, 2 layers, bidirectional, batchFirst, with initial states', 'LSTM', (3, 4),
    {'numLayers': 2, 'bidirectional': True, 'batchFirst': True}, r(2, 5, 3), r(4, 2, 4), r(4, 2, 4))
run('LSTM without initial states', 'LSTM', (3, 4), {}, r(4, 2, 3))
run('LSTM with projSize, 2 layers, bidirectional', 'LSTM', (3, 5),
    {'numLayers': 2, 'projSize': 2, 'bidirectional': True}, r(4, 3, 3), r(4, 3, 2), r(4, 3, 5))
run('GRU, 2 layers, with an initial state', 'GRU', (3, 4), {'numLayers': 2}, r(5, 2, 3), r(2, 2, 4))
run('GRU, bidirectional, batchFirst, without bias', 'GRU', (3, 4),
    {'bidirectional': True, 'batchFirst': True, 'bias': False}, r(2, 4, 3))
run('RNN (relu), bidirectional, 2 layers', 'RNN', (3, 4),
    {'nonlinearity': 'relu', 'bidirectional': True, 'numLayers': 2}, r(4, 3, 3), r(4, 3, 4))
run('RNN (tanh), unbatched input', 'RNN', (3, 4), {}, r(5, 3), r(1, 4))
run('LSTM, bidirectional, 2 layers, over a packed batch of lengths [4, 6, 2] (unsorted)', 'LSTM', (3, 4),
    {'bidirectional': True, 'numLayers': 2}, r(6, 3, 3), r(4, 3, 4), r(4, 3, 4), lengths=[4, 6, 2], enforce_sorted=False)
run('GRU, batchFirst, over a packed batch of sorted lengths [5, 3, 3, 1]', 'GRU', (3, 4),
    {'batchFirst': True, 'bidirectional': True}, r(4, 5, 3), lengths=[5, 3, 3, 1])
run('RNNCell (tanh)', 'RNNCell', (3, 4), {}, r(2, 3), r(2, 4))
run('RNNCell (relu) without a state', 'RNNCell', (3, 4), {'nonlinearity': 'relu'}, r(2, 3))
run('LSTMCell', 'LSTMCell', (3, 4), {}, r(2, 3), r(2, 4), r(2, 4))
run('GRUCell', 'GRUCell', (3, 4), {}, r(2, 3), r(2, 4))
run('GRUCell, unbatched, without bias', 'GRUCell', (3, 4), {'bias': False}, r(3), r(4))

write('nn-rnn', cases)

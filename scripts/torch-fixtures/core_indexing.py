"""Reference values of @tapegrad/core's indexing ops of issue 17 from PyTorch, for
test/torch-parity-indexing.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_indexing.py

which rewrites test/fixtures/torch/core-indexing.json (the format is described in common.py).
Indexing entries travel in params as JSON: {"t": name} is the input tensor `name`, null a full
slice (`:`), [start, end, step] a slice, "..." Ellipsis and "newaxis" None; numbers select.
Index tensors are int64 here and int32 in tapegrad (the stored values are the same).
"""
import warnings

import torch

from common import idx, mask, r, recorders, t, write

warnings.filterwarnings('ignore')  # scatter_reduce is "beta" in 1.13
torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


def entries(i, spec):
    """The Python index tuple of a JSON entry list (see the module comment)."""
    out = []
    for e in spec:
        if isinstance(e, dict):
            out.append(i[e['t']])
        elif e is None:
            out.append(slice(None))
        elif isinstance(e, list):
            out.append(slice(*e))
        elif e == '...':
            out.append(Ellipsis)
        elif e == 'newaxis':
            out.append(None)
        else:
            out.append(e)
    return tuple(out)


def maybe_t(x, p):
    """The input as the test uses it: transposed (a strided view) when params ask."""
    return x.t() if p.get('transpose') else x


# ------------------------------------------------------------------ scatter
xi = r(3, 4)
perm_idx = idx([[2, 0, 1, 1], [0, 2, 0, 2]])  # distinct targets per column: no write order dependence
case('scatter along dim 0 with distinct targets', 'scatter',
     lambda i, p: torch.scatter(i['x'], p['dim'], i['index'], i['src']), {'x': xi, 'index': perm_idx, 'src': r(2, 4)}, {'dim': 0})
case('scatter along dim -1 into a transposed x', 'scatter',
     lambda i, p: torch.scatter(maybe_t(i['x'], p), p['dim'], i['index'], i['src']),
     {'x': r(4, 3), 'index': idx([[3, 0], [1, 2], [0, 3]]), 'src': r(3, 2)}, {'dim': -1, 'transpose': True})
case('scatter a value along dim 1', 'scatterValue',
     lambda i, p: torch.scatter(i['x'], p['dim'], i['index'], p['value']), {'x': xi, 'index': idx([[1], [3], [0]])}, {'dim': 1, 'value': -2.5})
for red in ['add', 'multiply']:
    case(f'scatter with reduce {red} and repeated indices (values only: PyTorch does not differentiate it)', 'scatter',
         lambda i, p: torch.scatter(i['x'], p['dim'], i['index'], i['src'], reduce=p['reduce']),
         {'x': xi, 'index': idx([[0, 1, 0, 2], [0, 0, 0, 2]]), 'src': r(2, 4)}, {'dim': 0, 'reduce': red}, const=['x', 'src'])

# ------------------------------------------------------------------ scatterReduce
rep_idx = idx([[0, 1, 0, 2], [0, 0, 2, 2], [1, 1, 1, 0], [2, 0, 1, 0]])
for red in ['sum', 'prod', 'mean', 'amax', 'amin']:
    for inc in [True, False]:
        case(f'scatterReduce {red} along dim 0 with repeated indices (includeSelf {inc})', 'scatterReduce',
             lambda i, p: torch.scatter_reduce(i['x'], p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
             {'x': r(3, 4), 'index': rep_idx, 'src': r(4, 4)}, {'dim': 0, 'reduce': red, 'includeSelf': inc})
# ties: integer-valued inputs, shared gradients
ties_x = t([[2.0, 1.0, 3.0], [0.0, 2.0, 2.0]])
ties_src = t([[2.0, 2.0, 1.0, 3.0], [2.0, 0.0, 2.0, 1.0]])
for red in ['amax', 'amin']:
    for inc in [True, False]:
        case(f'scatterReduce {red} with ties among src and x share the gradient (includeSelf {inc})', 'scatterReduce',
             lambda i, p: torch.scatter_reduce(i['x'], p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
             {'x': ties_x, 'index': idx([[0, 0, 2, 2], [1, 1, 1, 2]]), 'src': ties_src}, {'dim': 1, 'reduce': red, 'includeSelf': inc})
for inc in [True, False]:
    case(f'scatterReduce prod with zeros in x and src (one and two per target, includeSelf {inc})', 'scatterReduce',
         lambda i, p: torch.scatter_reduce(i['x'], p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
         {'x': t([0.0, 2.0, 3.0, 1.5]), 'index': idx([1, 1, 0, 2, 2, 3, 3]), 'src': t([0.0, 3.0, 0.0, 4.0, 0.0, 0.0, 0.0])},
         {'dim': 0, 'reduce': 'prod', 'includeSelf': inc})
case('scatterReduce mean of int32 rounds down', 'scatterReduce',
     lambda i, p: torch.scatter_reduce(i['x'], p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
     {'x': idx([5, 1, -7]), 'index': idx([0, 0, 2]), 'src': idx([2, 4, 2])}, {'dim': 0, 'reduce': 'mean', 'includeSelf': True})
case('scatterReduce amax propagates NaN (values)', 'scatterReduce',
     lambda i, p: torch.scatter_reduce(i['x'], p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
     {'x': t([1.0, float('nan'), 2.0]), 'index': idx([0, 0, 1, 2]), 'src': t([float('nan'), 3.0, 4.0, float('-inf')])},
     {'dim': 0, 'reduce': 'amax', 'includeSelf': True}, const=['x', 'src'])
case('scatterReduce sum into a transposed x along dim 1', 'scatterReduce',
     lambda i, p: torch.scatter_reduce(maybe_t(i['x'], p), p['dim'], i['index'], i['src'], p['reduce'], include_self=p['includeSelf']),
     {'x': r(4, 3), 'index': idx([[3, 3], [0, 1], [1, 1]]), 'src': r(3, 2)},
     {'dim': 1, 'reduce': 'sum', 'includeSelf': True, 'transpose': True})

# ------------------------------------------------------------------ take / takeAlongDim
case('take with negative and repeated positions from a transposed x', 'take',
     lambda i, p: torch.take(maybe_t(i['x'], p), i['index']), {'x': r(4, 3), 'index': idx([[0, -1, 5], [11, -12, 5]])}, {'transpose': True})
case('takeAlongDim with broadcasting', 'takeAlongDim',
     lambda i, p: torch.take_along_dim(i['x'], i['index'], dim=p['dim']), {'x': r(2, 3, 4), 'index': idx([[[3], [0], [3]]])}, {'dim': -1})
case('takeAlongDim without dim reads the flattened x', 'takeAlongDim',
     lambda i, p: torch.take_along_dim(i['x'], i['index']), {'x': r(2, 3), 'index': idx([5, 0, 5])}, {})
case('takeAlongDim with argmax indices', 'takeAlongDim',
     lambda i, p: torch.take_along_dim(i['x'], i['index'], dim=p['dim']),
     {'x': (xa := r(3, 5)), 'index': xa.argmax(1, keepdim=True)}, {'dim': 1})

# ------------------------------------------------------------------ nonzero / argwhere / searchsorted / bucketize
nz = t([[0.0, 1.5, 0.0], [float('nan'), 0.0, -2.0]])
case('nonzero counts NaN as non-zero', 'nonzero', lambda i, p: torch.nonzero(i['x']), {'x': nz}, {}, const=['x'])
case('nonzero asTuple', 'nonzero', lambda i, p: torch.nonzero(i['x'], as_tuple=True), {'x': nz}, {'asTuple': True}, const=['x'])
case('argwhere of a bool tensor', 'argwhere', lambda i, p: torch.argwhere(i['x']), {'x': mask([[True, False], [True, True]])}, {})
seq = t([-1.0, 0.0, 0.0, 2.5, 7.0, float('nan')])
vals = t([[-2.0, 0.0, 1.0], [7.0, float('nan'), 2.5]])
for right in [False, True]:
    case(f'searchsorted in a 1-D sequence with ties and NaN (right {right})', 'searchsorted',
         lambda i, p: torch.searchsorted(i['s'], i['v'], right=p['right']), {'s': seq, 'v': vals}, {'right': right}, const=['s', 'v'])
case('searchsorted in batched rows, side right', 'searchsorted',
     lambda i, p: torch.searchsorted(i['s'], i['v'], side=p['side']),
     {'s': t([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]), 'v': t([[3.0, 6.0, 0.0, 5.0], [3.0, 6.0, 2.0, 9.0]])}, {'side': 'right'}, const=['s', 'v'])
case('searchsorted with a sorter', 'searchsorted',
     lambda i, p: torch.searchsorted(i['s'], i['v'], sorter=i['sorter']),
     {'s': t([5.0, 1.0, 3.0, 3.0]), 'v': t([0.0, 2.0, 3.0, 4.0, 6.0]), 'sorter': idx([1, 2, 3, 0])}, {}, const=['s', 'v'])
for right in [False, True]:
    case(f'bucketize (right {right})', 'bucketize',
         lambda i, p: torch.bucketize(i['x'], i['b'], right=p['right']),
         {'x': t([[0.0, 1.0, 4.0], [6.0, 3.0, 5.0]]), 'b': t([1.0, 3.0, 5.0])}, {'right': right}, const=['x', 'b'])

# ------------------------------------------------------------------ index / indexPut / indexCopy / indexFill / masked
x4 = r(2, 3, 4, 5)
INDEX = [
    ('x[:, i, j] (adjacent advanced indices stay in place)', [None, {'t': 'i'}, {'t': 'j'}],
     {'i': idx([1, 0, 2, 2]), 'j': idx([3, -1, 0, 3])}),
    ('x[i, :, j] (separated advanced indices go first)', [{'t': 'i'}, None, {'t': 'j'}], {'i': idx([1, 0, 1]), 'j': idx([3, -1, 0])}),
    ('x[:, 0, :, i] (the number selects first)', [None, 0, None, {'t': 'i'}], {'i': idx([4, 0, 4])}),
    ('x[r, :, c] with index tensors broadcasting to [2, 3]', [{'t': 'r'}, None, {'t': 'c'}],
     {'r': idx([[0], [1]]), 'c': idx([[0, 2, 3]])}),
    ('x[m] with a 2-D mask', [{'t': 'm'}], {'m': mask([[True, False, True], [False, False, True]])}),
    ('x[None, ..., m] with a mask over the last dims', ['newaxis', '...', {'t': 'm'}],
     {'m': mask([[True, False, True, False, False]] * 3 + [[False, False, False, False, True]])}),
    ('x[1, ::2, i, 1:4] (basic and advanced entries)', [1, [None, None, 2], {'t': 'i'}, [1, 4]], {'i': idx([[0, 3], [3, 3]])}),
    ('x[None, i, ..., -1]', ['newaxis', {'t': 'i'}, '...', -1], {'i': idx([1, 1, 0])}),
]
for name, spec, ind in INDEX:
    case(f'index {name}', 'index', lambda i, p: i['x'][entries(i, p['entries'])], {'x': x4, **ind}, {'entries': spec})
case('index of a transposed x with a mask', 'index',
     lambda i, p: maybe_t(i['x'], p)[entries(i, p['entries'])], {'x': r(4, 3), 'm': mask([[True, False, True, True]] * 3)},
     {'entries': [{'t': 'm'}], 'transpose': True})

def put(i, spec, accumulate):
    """x[entries] = v out of place (index_put itself takes tensor entries only, as the accumulate cases use)."""
    if accumulate:
        return torch.index_put(i['x'], entries(i, spec), i['v'], accumulate=True)
    y = i['x'].clone()
    y[entries(i, spec)] = i['v']
    return y


PUT = [
    ('x[:, i] = v', [None, {'t': 'i'}], {'i': idx([2, 0])}, (3, 2), False),
    ('x[i, j] += v with repeated positions', [{'t': 'i'}, {'t': 'j'}], {'i': idx([0, 2, 0, 0]), 'j': idx([1, 3, 1, -1])}, (4,), True),
    ('x[m] = v broadcast from one element', [{'t': 'm'}], {'m': mask([[True, False, True, False], [False, False, False, True], [True] * 4])}, (1,), False),
    ('x[k, i] += v with a 0-d k and values broadcast', [{'t': 'k'}, {'t': 'i'}], {'k': idx(1), 'i': idx([[3], [0]])}, (1, 1), True),
    ('x[1, ::2] = v (basic entries only)', [1, [None, None, 2]], {}, (2,), False),
    ('x[:, i] = v with a 0-d v', [None, {'t': 'i'}], {'i': idx([1, 3])}, (), False),
]
for name, spec, ind, vshape, acc in PUT:
    case(f'indexPut {name}', 'indexPut',
         lambda i, p: put(i, p['entries'], p['accumulate']),
         {'x': r(3, 4), 'v': r(*vshape), **ind}, {'entries': spec, 'accumulate': acc})
case('indexCopy along dim 1', 'indexCopy',
     lambda i, p: torch.index_copy(i['x'], p['dim'], i['index'], i['src']),
     {'x': r(3, 4), 'index': idx([3, 0]), 'src': r(3, 2)}, {'dim': 1})
case('indexFill with a 0-d tensor value', 'indexFill',
     lambda i, p: torch.index_fill(i['x'], p['dim'], i['index'], i['value']),
     {'x': r(3, 4), 'index': idx([0, 2, 2]), 'value': t(1.25)}, {'dim': 1})  # repeated: each element once in value's gradient
# (PyTorch's backward fails for negative positions: values only)
case('indexFill with a negative index (values)', 'indexFill',
     lambda i, p: torch.index_fill(i['x'], p['dim'], i['index'], i['value']),
     {'x': r(3, 4), 'index': idx([0, -2]), 'value': t(1.25)}, {'dim': 1}, const=['x', 'value'])
case('maskedSelect broadcasting x and mask', 'maskedSelect',
     lambda i, p: torch.masked_select(i['x'], i['m']), {'x': r(2, 1, 3), 'm': mask([[True, False, True], [False, True, True]])}, {})
case('maskedScatter with more source than needed', 'maskedScatter',
     lambda i, p: torch.masked_scatter(i['x'], i['m'], i['src']), {'x': r(2, 3), 'm': mask([True, False, True]), 'src': r(2, 3)}, {})

# ------------------------------------------------------------------ second derivatives
hvp('sum(scatterReduce(x, prod)^2) without zeros', 'scatterProdSq',
    lambda i, p: (torch.scatter_reduce(i['x'], 0, i['index'], i['src'], 'prod') ** 2).sum(),
    {'x': r(3, 4), 'index': rep_idx, 'src': r(4, 4)})
hvp('sum(scatterReduce(x, mean, includeSelf false) * x)', 'scatterMeanX',
    lambda i, p: (torch.scatter_reduce(i['x'], 0, i['index'], i['src'], 'mean', include_self=False) * i['x']).sum(),
    {'x': r(3, 4), 'index': rep_idx, 'src': r(4, 4)})
hvp('sum(x[i, :, j]^3)', 'indexCube', lambda i, p: (i['x'][i['i'], :, i['j']] ** 3).sum(),
    {'x': r(3, 2, 4), 'i': idx([0, 2, 0]), 'j': idx([1, 1, -1])})
hvp('sum(tanh(indexPut(x, [i], v * x[0])))', 'indexPutTanh',
    lambda i, p: torch.tanh(torch.index_put(i['x'], (i['i'],), i['v'] * i['x'][0])).sum(),
    {'x': r(3, 4), 'v': r(2, 4), 'i': idx([2, 1])})

# common.write names the generator after the fixture (core-indexing.py): name the real file.
write('core-indexing', cases, {'generator': 'scripts/torch-fixtures/core_indexing.py'})

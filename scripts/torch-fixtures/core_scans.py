"""Reference values of @tapegrad/core's scans and sorting ops (issue 17) from PyTorch, for
test/torch-parity-scans.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch), float64, seed 0. Regenerate from the
repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_scans.py

which rewrites test/fixtures/torch/core-scans.json (format: see common.py). Params with
'transpose' mean the op runs on the input transposed (a strided view). Ties are avoided where
PyTorch leaves the index unspecified (kthvalue, topk, median with dim, nanmedian of an all-NaN slice, whose index comes from
nth_element's rearrangement in PyTorch; tapegrad reports the first NaN).
"""
import torch

from common import r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)
nan = float('nan')
inf = float('inf')


def o(v):
    """An ord param as stored ('inf', '-inf' strings: JSON has no infinities) back to a number."""
    return float(v) if v in ('inf', '-inf') else v


def ostr(v):
    return ('inf' if v > 0 else '-inf') if isinstance(v, float) and v in (inf, -inf) else v


def view(x, p):
    return x.t() if p.get('transpose') else x


# ------------------------------------------------------------------ scans
for op, fn in [('cumsum', torch.cumsum), ('cumprod', torch.cumprod), ('logcumsumexp', torch.logcumsumexp)]:
    case(f'{op} along dim 1 of [3,4]', op, lambda i, p, fn=fn: fn(i['x'], p['dim']), {'x': r(3, 4)}, {'dim': 1})
    case(f'{op} along dim -3 of [2,3,2]', op, lambda i, p, fn=fn: fn(i['x'], p['dim']), {'x': r(2, 3, 2)}, {'dim': -3})
    case(f'{op} of a transposed view along dim 1', op, lambda i, p, fn=fn: fn(view(i['x'], p), p['dim']),
         {'x': r(4, 3)}, {'dim': 1, 'transpose': True})
    case(f'{op} over an empty dim', op, lambda i, p, fn=fn: fn(i['x'], p['dim']), {'x': r(2, 0)}, {'dim': 1})
case('cumprod through zeros (one, two, leading)', 'cumprod', lambda i, p: torch.cumprod(i['x'], p['dim']),
     {'x': t([[2.0, 0.0, 3.0, 0.5, 4.0], [0.0, 1.5, 0.0, 2.0, -1.0], [1.0, 2.0, 3.0, -1.0, 0.0]])}, {'dim': 1})
case('cumprod through zeros along dim 0', 'cumprod', lambda i, p: torch.cumprod(i['x'], p['dim']),
     {'x': t([[2.0, 0.0], [0.0, 1.5], [3.0, 2.0]])}, {'dim': 0})
case('logcumsumexp of large and -inf inputs', 'logcumsumexp', lambda i, p: torch.logcumsumexp(i['x'], p['dim']),
     {'x': t([[1000.0, 1000.0, -inf, 999.0], [-inf, -1.0, 0.5, -1000.0]])}, {'dim': 1})
case('cumsum with NaN and inf', 'cumsum', lambda i, p: torch.cumsum(i['x'], p['dim']),
     {'x': t([1.0, nan, 2.0, inf])}, {'dim': 0})
hvp('cumprod through a zero, second order', 'cumprodSq', lambda i, p: torch.cumprod(i['x'], 1).pow(2).sum(),
    {'x': t([[1.5, 0.0, 2.0, -0.5], [0.7, -1.2, 0.0, 0.0]])})
hvp('cumprod second order without zeros', 'cumprodSq', lambda i, p: torch.cumprod(i['x'], 1).pow(2).sum(), {'x': r(2, 4)})
hvp('logcumsumexp second order', 'lcseSq', lambda i, p: torch.logcumsumexp(i['x'], 1).pow(2).sum(), {'x': r(2, 4)})
hvp('cumsum second order', 'cumsumTanh', lambda i, p: torch.tanh(torch.cumsum(i['x'], 0)).sum(), {'x': r(4, 2)})

for op, fn in [('cummax', torch.cummax), ('cummin', torch.cummin)]:
    case(f'{op} along dim 1 with ties and NaN', op, lambda i, p, fn=fn: fn(i['x'], p['dim']),
         {'x': t([[1.0, 3.0, 3.0, 2.0, nan, 5.0], [0.0, -1.0, -1.0, 2.0, 2.0, 1.0]])}, {'dim': 1})
    case(f'{op} along dim 0 of a transposed view', op, lambda i, p, fn=fn: fn(view(i['x'], p), p['dim']),
         {'x': r(3, 4)}, {'dim': 0, 'transpose': True})

# ------------------------------------------------------------------ sorting
x_nan = t([[3.0, nan, 1.0, 2.0, -inf], [0.5, -1.0, inf, 0.0, nan]])
case('sort ascending with NaN and inf', 'sort', lambda i, p: torch.sort(i['x'], p['dim'], descending=p['descending']),
     {'x': x_nan}, {'dim': 1, 'descending': False})
case('sort descending with NaN and inf', 'sort', lambda i, p: torch.sort(i['x'], p['dim'], descending=p['descending']),
     {'x': x_nan}, {'dim': 1, 'descending': True})
case('sort along dim 0 of a transposed view', 'sort',
     lambda i, p: torch.sort(view(i['x'], p), p['dim'], descending=p['descending']),
     {'x': r(4, 3)}, {'dim': 0, 'descending': False, 'transpose': True})
case('stable sort keeps ties in order', 'sort',
     lambda i, p: torch.sort(i['x'], dim=p['dim'], descending=p['descending'], stable=True),
     {'x': t([[2.0, 1.0, 2.0, 1.0, 2.0], [0.0, 0.0, -1.0, 0.0, 3.0]])}, {'dim': -1, 'descending': True})
case('argsort descending', 'argsort', lambda i, p: torch.argsort(i['x'], p['dim'], descending=True),
     {'x': r(3, 5)}, {'dim': -1})
case('topk largest along the last dim', 'topk', lambda i, p: torch.topk(i['x'], p['k'], p['dim'], largest=p['largest']),
     {'x': r(3, 6)}, {'k': 3, 'dim': -1, 'largest': True})
case('topk smallest along dim 0', 'topk', lambda i, p: torch.topk(i['x'], p['k'], p['dim'], largest=p['largest']),
     {'x': r(5, 2)}, {'k': 2, 'dim': 0, 'largest': False})
case('topk with NaN counts NaN largest', 'topk', lambda i, p: torch.topk(i['x'], p['k'], p['dim'], largest=p['largest']),
     {'x': t([[1.0, nan, 2.0, 0.5]])}, {'k': 2, 'dim': 1, 'largest': True})
case('kthvalue along dim 1 with keepdim', 'kthvalue', lambda i, p: torch.kthvalue(i['x'], p['k'], p['dim'], keepdim=True),
     {'x': r(3, 5)}, {'k': 2, 'dim': 1})
case('median without dim shares the gradient among ties', 'medianAll', lambda i, p: torch.median(i['x']),
     {'x': t([[2.0, 1.0, 2.0], [2.0, 5.0, 0.0]])})
case('median without dim of an even count', 'medianAll', lambda i, p: torch.median(i['x']), {'x': r(2, 3)})
case('median with dim', 'median', lambda i, p: torch.median(i['x'], p['dim']), {'x': r(3, 4)}, {'dim': 1})
case('median with dim and NaN', 'median', lambda i, p: torch.median(i['x'], p['dim']),
     {'x': t([[1.0, nan, 0.0, nan], [4.0, 3.0, 1.0, 2.0]])}, {'dim': 1})
case('nanmedian with dim and NaN', 'nanmedian', lambda i, p: torch.nanmedian(i['x'], p['dim']),
     {'x': t([[1.0, nan, 0.0, 3.0], [4.0, 3.0, 1.0, 2.0], [nan, 2.0, nan, nan]])}, {'dim': 1})
case('nanmedian without dim', 'nanmedianAll', lambda i, p: torch.nanmedian(i['x']), {'x': t([4.0, nan, 1.0, 3.0])})
case('mode along dim 1', 'mode', lambda i, p: torch.mode(i['x'], p['dim']),
     {'x': t([[3.0, 1.0, 3.0, 1.0, 2.0], [2.0, 2.0, 5.0, 2.0, 5.0]])}, {'dim': 1})
for how in ['linear', 'lower', 'higher', 'midpoint', 'nearest']:
    case(f'quantile {how} with a tensor q along dim 1', 'quantile',
         lambda i, p: torch.quantile(i['x'], torch.tensor(p['q'], dtype=torch.float64), p['dim'], interpolation=p['how']),
         {'x': r(3, 6)}, {'q': [0.0, 0.25, 0.5, 0.7, 1.0], 'dim': 1, 'how': how})
case('quantile of all elements, number q, keepdim', 'quantileAll',
     lambda i, p: torch.quantile(i['x'], p['q'], keepdim=True), {'x': r(3, 4)}, {'q': 0.35})
case('quantile with NaN gives NaN', 'quantile',
     lambda i, p: torch.quantile(i['x'], torch.tensor(p['q'], dtype=torch.float64), p['dim'], interpolation=p['how']),
     {'x': t([[1.0, nan, 3.0, 2.0], [4.0, 3.0, 2.0, 1.0]])}, {'q': [0.3], 'dim': 1, 'how': 'linear'})
case('nanquantile ignores NaN', 'nanquantile',
     lambda i, p: torch.nanquantile(i['x'], torch.tensor(p['q'], dtype=torch.float64), p['dim']),
     {'x': t([[1.0, nan, 3.0, 2.0], [4.0, 3.0, 2.0, 1.0], [nan, nan, nan, nan]])}, {'q': [0.3, 0.5], 'dim': 1})
hvp('sort values second order', 'sortSq', lambda i, p: (torch.sort(i['x'], 1).values * torch.arange(4.0)).pow(2).sum(),
    {'x': r(3, 4)})
hvp('quantile second order', 'quantileSq', lambda i, p: torch.quantile(i['x'], 0.3, 1).pow(2).sum(), {'x': r(3, 5)})

# ------------------------------------------------------------------ NaN-aware and fused reductions
x_nans = t([[1.0, nan, 2.0, -0.5], [nan, nan, nan, nan], [-1.0, 4.0, nan, 0.25]])
case('nansum along dim 1', 'nansum', lambda i, p: torch.nansum(i['x'], p['dim']), {'x': x_nans}, {'dim': 1})
case('nansum of all elements', 'nansumAll', lambda i, p: torch.nansum(i['x']), {'x': x_nans})
case('nanmean along dim 0 with keepdim', 'nanmean', lambda i, p: torch.nanmean(i['x'], p['dim'], keepdim=True),
     {'x': x_nans}, {'dim': 0})
case('var_mean along dim 1', 'varMean', lambda i, p: torch.var_mean(i['x'], p['dim']), {'x': r(3, 4)}, {'dim': 1})
case('std_mean with correction 0', 'stdMean', lambda i, p: torch.std_mean(i['x'], p['dim'], correction=0),
     {'x': r(4, 3)}, {'dim': 0})
case('aminmax values along dim 1', 'aminmax',
     lambda i, p: (lambda m: [m.min.detach(), m.max.detach()])(torch.aminmax(i['x'], dim=p['dim'])),
     {'x': t([[1.0, 5.0, nan], [7.0, 0.0, 7.0]])}, {'dim': 1}, const=('x',))
case('count_nonzero along dim 0', 'countNonzero', lambda i, p: torch.count_nonzero(i['x'], dim=p['dim']),
     {'x': t([[0.0, 1.0, nan], [2.0, 0.0, 0.0]])}, {'dim': 0}, const=('x',))

# ------------------------------------------------------------------ norms
xn = r(3, 4)
for ord_ in [2, 1, 3, 0.5, inf, -inf, 0, -1]:
    case(f'vector_norm ord {ord_} along dim 1', 'vectorNorm',
         lambda i, p: torch.linalg.vector_norm(i['x'], ord=o(p['ord']), dim=p['dim']), {'x': xn}, {'ord': ostr(ord_), 'dim': 1})
case('vector_norm of all elements with keepdim', 'vectorNorm',
     lambda i, p: torch.linalg.vector_norm(i['x'], ord=p['ord'], keepdim=True), {'x': r(2, 3)}, {'ord': 2, 'dim': None, 'keepdim': True})
case('vector_norm 2 at zero rows has gradient 0', 'vectorNorm',
     lambda i, p: torch.linalg.vector_norm(i['x'], ord=p['ord'], dim=p['dim']),
     {'x': t([[0.0, 0.0, 0.0], [3.0, 0.0, -4.0]])}, {'ord': 2, 'dim': 1})
case('vector_norm 3 with zeros', 'vectorNorm',
     lambda i, p: torch.linalg.vector_norm(i['x'], ord=p['ord'], dim=p['dim']),
     {'x': t([[0.0, 0.0, 0.0], [1.0, 0.0, -2.0]])}, {'ord': 3, 'dim': 1})
case('vector_norm inf with ties splits the gradient', 'vectorNorm',
     lambda i, p: torch.linalg.vector_norm(i['x'], ord=o(p['ord']), dim=p['dim']),
     {'x': t([[1.0, -3.0, 3.0], [2.0, 0.5, -1.0]])}, {'ord': 'inf', 'dim': 1})
for ord_ in ['fro', 1, -1, inf, -inf]:
    case(f'matrix_norm ord {ord_} of a batch', 'matrixNorm',
         lambda i, p: torch.linalg.matrix_norm(i['x'], ord=o(p['ord'])), {'x': r(2, 3, 4)}, {'ord': ostr(ord_)})
case('matrix_norm ord 1 over dims (0, 2) with keepdim', 'matrixNorm',
     lambda i, p: torch.linalg.matrix_norm(i['x'], ord=p['ord'], dim=tuple(p['dim']), keepdim=True),
     {'x': r(2, 3, 4)}, {'ord': 1, 'dim': [0, 2], 'keepdim': True})
case('norm p 3 along dim 0 of a transposed view', 'norm',
     lambda i, p: torch.norm(view(i['x'], p), p=p['p'], dim=p['dim']), {'x': r(3, 4)}, {'p': 3, 'dim': 0, 'transpose': True})
case('norm fro of all elements', 'norm', lambda i, p: torch.norm(i['x']), {'x': r(3, 4)}, {'p': 'fro', 'dim': None})
hvp('vector_norm second order', 'vectorNormSq', lambda i, p: torch.linalg.vector_norm(i['x'], ord=3, dim=1).pow(2).sum(), {'x': r(3, 4)})
hvp('frobenius norm second order', 'froNorm', lambda i, p: torch.linalg.matrix_norm(i['x']), {'x': r(3, 3)})

# ------------------------------------------------------------------ counting
ints = torch.tensor([[3, 1, 3], [2, 1, 1]], dtype=torch.int64)
case('unique with inverse and counts', 'unique',
     lambda i, p: list(torch.unique(i['x'], return_inverse=True, return_counts=True)), {'x': ints})
case('unique of floats', 'unique', lambda i, p: list(torch.unique(i['x'], return_inverse=True, return_counts=True)),
     {'x': t([2.5, -1.0, 2.5, 0.0, -1.0])}, const=('x',))
case('bincount with minlength', 'bincount', lambda i, p: torch.bincount(i['x'], minlength=p['minlength']),
     {'x': torch.tensor([1, 1, 3, 0, 7])}, {'minlength': 10})
case('bincount with weights', 'bincount', lambda i, p: torch.bincount(i['x'], weights=i['w']),
     {'x': torch.tensor([1, 1, 3, 0]), 'w': t([0.5, 1.0, 2.0, -3.0])}, {'minlength': 0}, const=('w',))
case('histc with a range', 'histc', lambda i, p: torch.histc(i['x'], bins=p['bins'], min=p['min'], max=p['max']),
     {'x': t([1.0, 2.0, 1.0, 4.0, -1.0, 3.0, 0.0, 2.999])}, {'bins': 4, 'min': 0, 'max': 3}, const=('x',))
case('histc over the data range', 'histc', lambda i, p: torch.histc(i['x'], bins=p['bins'], min=p['min'], max=p['max']),
     {'x': r(50)}, {'bins': 7, 'min': 0, 'max': 0}, const=('x',))

write('core-scans', cases, {'generator': 'scripts/torch-fixtures/core_scans.py'})

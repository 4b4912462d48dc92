"""Reference values of the shape ops of @tapegrad/core (issue 17) from PyTorch, for
test/torch-parity-shape.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch), float64, seed 0. Regenerate from the
repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_shape.py

which rewrites test/fixtures/torch/core-shape.json. The format is common.py's. The param `pre`
makes the input strided before the op: 'T' transposes its last two dims, 'step' takes every
other element of dim 0 (x[::2]); the test applies the same view.
"""
import torch

from common import r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)
nan, inf = float('nan'), float('inf')


def pre(x, p):
    kind = p.get('pre')
    if kind == 'T':
        return x.transpose(-2, -1)
    if kind == 'step':
        return x[::2]
    return x


OPS = {
    'unflatten': lambda x, p: x.unflatten(p['dim'], p['sizes']),
    'movedim': lambda x, p: torch.movedim(x, p['src'], p['dst']),
    'swapdims': lambda x, p: torch.swapdims(x, p['a'], p['b']),
    'broadcastTo': lambda x, p: torch.broadcast_to(x, p['shape']),
    'tensorSplit': lambda x, p: torch.tensor_split(x, p['arg'], dim=p['dim']),
    'unbind': lambda x, p: torch.unbind(x, p['dim']),
    'flip': lambda x, p: torch.flip(x, p['dims']),
    'fliplr': lambda x, p: torch.fliplr(x),
    'flipud': lambda x, p: torch.flipud(x),
    'roll': lambda x, p: torch.roll(x, p['shifts'], p.get('dims')) if p.get('dims') is not None else torch.roll(x, p['shifts']),
    'rot90': lambda x, p: torch.rot90(x, p['k'], p['dims']),
    'repeat': lambda x, p: x.repeat(*p['reps']),
    'tile': lambda x, p: torch.tile(x, p['reps']),
    'repeatInterleave': lambda x, p: torch.repeat_interleave(x, p['repeats'], dim=p.get('dim')),
    'tril': lambda x, p: torch.tril(x, p['k']),
    'triu': lambda x, p: torch.triu(x, p['k']),
    'diagonal': lambda x, p: torch.diagonal(x, p['offset'], p['d1'], p['d2']),
    'diag': lambda x, p: torch.diag(x, p['k']),
    'diagEmbed': lambda x, p: torch.diag_embed(x, p['offset'], p['d1'], p['d2']),
    'diagflat': lambda x, p: torch.diagflat(x, p['offset']),
}


def unary(name, op, x, params):
    case(name, op, lambda i, p: OPS[op](pre(i['x'], p), p), {'x': x}, params)


unary('unflatten dim 1 into [2,-1]', 'unflatten', r(3, 6), {'dim': 1, 'sizes': [2, -1]})
unary('unflatten dim -1 of a transposed input', 'unflatten', r(4, 3), {'dim': -1, 'sizes': [2, 2], 'pre': 'T'})
unary('movedim 0 to -1', 'movedim', r(2, 3, 4), {'src': 0, 'dst': -1})
unary('movedim [0,1] to [3,0]', 'movedim', r(2, 3, 4, 5), {'src': [0, 1], 'dst': [3, 0]})
unary('swapdims 0 and 2', 'swapdims', r(2, 3, 4), {'a': 0, 'b': 2})
unary('broadcastTo [2,1] to [3,2,4]', 'broadcastTo', r(2, 1), {'shape': [3, 2, 4]})
unary('broadcastTo with -1 of a transposed input', 'broadcastTo', r(3, 2), {'shape': [2, -1, 3], 'pre': 'T'})
unary('tensorSplit into 3 sections of 7', 'tensorSplit', r(7, 2), {'arg': 3, 'dim': 0})
unary('tensorSplit into 4 sections of 2 (empty pieces)', 'tensorSplit', r(3, 2), {'arg': 4, 'dim': 1})
unary('tensorSplit at indices [1,-2,9] along dim 1', 'tensorSplit', r(2, 6), {'arg': [1, -2, 9], 'dim': 1})
unary('tensorSplit at decreasing indices [4,2]', 'tensorSplit', r(6), {'arg': [4, 2], 'dim': 0})
unary('unbind along dim 1', 'unbind', r(2, 3, 2), {'dim': 1})
unary('unbind along dim -1 of a transposed input', 'unbind', r(3, 2), {'dim': -1, 'pre': 'T'})
unary('flip dims [0,2]', 'flip', r(2, 3, 4), {'dims': [0, 2]})
unary('flip dim -1 with NaN and inf', 'flip', t([[nan, 1.0, inf], [-inf, 2.0, 3.0]]), {'dims': [-1]})
unary('flip a strided input (every other row)', 'flip', r(5, 3), {'dims': [0, 1], 'pre': 'step'})
unary('flip an empty dim', 'flip', r(2, 0), {'dims': [0, 1]})
unary('fliplr', 'fliplr', r(3, 4, 2), {})
unary('flipud of a transposed input', 'flipud', r(3, 4), {'pre': 'T'})
unary('roll by 2 flattened', 'roll', r(3, 4), {'shifts': 2})
unary('roll by -7 flattened of a transposed input', 'roll', r(3, 4), {'shifts': -7, 'pre': 'T'})
unary('roll by [1,-5] along [0,-1]', 'roll', r(3, 4), {'shifts': [1, -5], 'dims': [0, -1]})
unary('roll along one dim by more than its size', 'roll', r(2, 3, 2), {'shifts': 4, 'dims': 1})
for k in [1, 2, 3, -1, 4]:
    unary(f'rot90 k={k}', 'rot90', r(3, 4), {'k': k, 'dims': [0, 1]})
unary('rot90 k=1 in dims [2,0] of a 3-D input', 'rot90', r(2, 3, 4), {'k': 1, 'dims': [2, 0]})
unary('repeat [2,3] of a [2,2] input', 'repeat', r(2, 2), {'reps': [2, 3]})
unary('repeat [2,1,3] adds a leading dim', 'repeat', r(2, 2), {'reps': [2, 1, 3]})
unary('repeat a transposed input with a 0 count', 'repeat', r(2, 3), {'reps': [2, 0], 'pre': 'T'})
unary('repeat [1,1] copies', 'repeat', r(2, 3), {'reps': [1, 1]})
unary('tile [2] of a [2,3] input', 'tile', r(2, 3), {'reps': [2]})
unary('tile [2,1,2]', 'tile', r(2, 3), {'reps': [2, 1, 2]})
unary('repeatInterleave 2 flattened', 'repeatInterleave', r(2, 3), {'repeats': 2})
unary('repeatInterleave 3 along dim 1', 'repeatInterleave', r(2, 3), {'repeats': 3, 'dim': 1})
unary('repeatInterleave 2 along dim 0 of a transposed input', 'repeatInterleave', r(2, 3), {'repeats': 2, 'dim': 0, 'pre': 'T'})
case('repeatInterleave with a tensor of counts along dim 0', 'repeatInterleaveT',
     lambda i, p: torch.repeat_interleave(i['x'], i['reps'], dim=0),
     {'x': r(3, 2), 'reps': torch.tensor([2, 0, 3])})
for k in [0, 1, -1, 5, -5]:
    unary(f'tril diagonal {k} of a [3,4] input', 'tril', r(3, 4), {'k': k})
    unary(f'triu diagonal {k} of a [3,4] input', 'triu', r(3, 4), {'k': k})
unary('tril batched [2,4,3] with NaN and inf', 'tril', t([[[nan, 1, 2], [inf, 3, -inf], [1, 2, 3], [4, nan, 6]]] * 2), {'k': 0})
unary('triu of a transposed input', 'triu', r(3, 4), {'k': 1, 'pre': 'T'})
for off in [0, 1, -2, 5]:
    unary(f'diagonal offset {off} of [3,4]', 'diagonal', r(3, 4), {'offset': off, 'd1': 0, 'd2': 1})
unary('diagonal offset 1 of dims (2,0) of a [3,2,4] input', 'diagonal', r(3, 2, 4), {'offset': 1, 'd1': 2, 'd2': 0})
unary('diagonal of dims (-1,-2) of a transposed batched input', 'diagonal', r(2, 3, 3), {'offset': -1, 'd1': -1, 'd2': -2, 'pre': 'T'})
for k in [0, 2, -1]:
    unary(f'diag of a 1-D input, offset {k}', 'diag', r(3), {'k': k})
    unary(f'diag of a 2-D input, offset {k}', 'diag', r(3, 4), {'k': k})
unary('diagEmbed of [2,3]', 'diagEmbed', r(2, 3), {'offset': 0, 'd1': -2, 'd2': -1})
unary('diagEmbed offset -1 into dims (0,2)', 'diagEmbed', r(2, 3), {'offset': -1, 'd1': 0, 'd2': 2})
unary('diagEmbed offset 2 into dims (2,0)', 'diagEmbed', r(2, 3), {'offset': 2, 'd1': 2, 'd2': 0})
unary('diagflat of [2,2] with offset 1', 'diagflat', r(2, 2), {'offset': 1})
unary('diagflat of a transposed input', 'diagflat', r(2, 3), {'offset': -2, 'pre': 'T'})

ints = torch.tensor([[1, -2, 3, 4], [5, 6, -7, 8], [9, 10, 11, -12]], dtype=torch.int32)
unary('tril of an int32 input', 'tril', ints, {'k': 1})
unary('flip of an int32 input', 'flip', ints, {'dims': [0, 1]})
unary('repeat of an int32 input', 'repeat', ints, {'reps': [1, 2]})
unary('diagonal of an int32 input', 'diagonal', ints, {'offset': -1, 'd1': 1, 'd2': 0})
unary('roll of an int32 input', 'roll', ints, {'shifts': [2], 'dims': [1]})

STACKS = {'hstack': torch.hstack, 'vstack': torch.vstack, 'dstack': torch.dstack,
          'columnStack': torch.column_stack, 'rowStack': torch.row_stack}
for op, f in STACKS.items():
    for shapes in [((3,), (2,)) if op == 'hstack' else ((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((2, 1, 2), (2, 1, 2))]:
        if op in ('vstack', 'rowStack') and shapes == ((2, 3), (2, 3)):
            shapes = ((1, 3), (2, 3))
        if op == 'columnStack' and shapes == ((2, 3), (2, 3)):
            shapes = ((2,), (2, 3))
        case(f'{op} of shapes {list(shapes[0])} and {list(shapes[1])}', 'stacks',
             lambda i, p: STACKS[p['fn']]([i['a'], i['b']]), {'a': r(*shapes[0]), 'b': r(*shapes[1])}, {'fn': op})
case('broadcastTensors of [2,1], [3] and []', 'broadcastTensors',
     lambda i, p: torch.broadcast_tensors(i['a'], i['b'], i['c']), {'a': r(2, 1), 'b': r(3), 'c': r()})

hvp('sum(tril(x)^2 * flip(x, 0))', 'trilFlip', lambda i, p: (torch.tril(i['x']) ** 2 * torch.flip(i['x'], [0])).sum(), {'x': r(3, 3)})
hvp('sum(diagonal(x)^3) + sum(diag_embed(x)^2)', 'diagCube',
    lambda i, p: (torch.diagonal(i['x']) ** 3).sum() + (torch.diag_embed(i['x']) ** 2).sum(), {'x': r(3, 3)})
hvp('sum(roll(x, 1, 1) * x.repeat(1, 1)) + sum(repeat_interleave(x, 2)^3)', 'rollRepeat',
    lambda i, p: (torch.roll(i['x'], 1, 1) * i['x'].repeat(1, 1)).sum() + (torch.repeat_interleave(i['x'], 2) ** 3).sum(),
    {'x': r(2, 3)})

write('core-shape', cases, {'generator': 'scripts/torch-fixtures/core_shape.py'})

"""Reference values of @tapegrad/core's binary element-wise math (issue 17) from PyTorch, for
test/torch-parity-binary.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_binary.py

which rewrites test/fixtures/torch/core-binary.json (format: see common.py). Integer cases use
int32 tensors (tapegrad's integer dtype; shifts and overflow depend on the width). Inputs named in
a case's `const` do not require grad: special values (NaN, infinities, signed zeros) are checked
for their values only, where the gradient is a matter of formula order (0 * inf).
"""
import torch

from common import i32, mask as b, r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)
nan, inf = float('nan'), float('inf')


def view(x, how):
    """The strided views the TypeScript table rebuilds: a transpose, or every other column."""
    if how == 't':
        return x.t()
    if how == 'step2':
        return x[:, ::2]
    return x


BINARY = {
    'atan2': torch.atan2, 'hypot': torch.hypot, 'logaddexp': torch.logaddexp, 'logaddexp2': torch.logaddexp2,
    'xlogy': torch.xlogy, 'copysign': torch.copysign, 'fmax': torch.fmax, 'fmin': torch.fmin,
    'remainder': torch.remainder, 'fmod': torch.fmod, 'floorDivide': torch.floor_divide,
    'floatPower': torch.float_power, 'logicalAnd': torch.logical_and, 'logicalOr': torch.logical_or,
    'logicalXor': torch.logical_xor, 'bitwiseAnd': torch.bitwise_and, 'bitwiseOr': torch.bitwise_or,
    'bitwiseXor': torch.bitwise_xor, 'bitwiseLeftShift': torch.bitwise_left_shift,
    'bitwiseRightShift': torch.bitwise_right_shift, 'heaviside': torch.heaviside,
}


def binary(name, op, a, bb, params=None, const=()):
    """op(a, b); params 'va'/'vb' apply a strided view to a/b first, 'b' is a number operand."""
    params = params or {}
    fn = BINARY[op]

    def run(i, p):
        x = view(i['a'], p.get('va'))
        # a number as a 0-d tensor: the ops that refuse numbers promote it the same way
        y = view(i['b'], p.get('vb')) if 'b' in i else torch.tensor(p['b'])
        return fn(x, y)
    inputs = {'a': a} if bb is None else {'a': a, 'b': bb}
    case(name, op, run, inputs, params, const)


SPECIAL_A = t([0.0, -0.0, 0.0, -0.0, 1.0, inf, nan, -inf, 2.0, -3.0, inf, 1e300])
SPECIAL_B = t([0.0, 0.0, -0.0, -0.0, inf, inf, 1.0, 2.0, nan, -inf, -inf, 1e300])

# ------------------------------------------------------------------ smooth float ops: values, gradients
for op in ['atan2', 'hypot', 'logaddexp', 'logaddexp2', 'copysign']:
    binary(f'{op} broadcasts [2,3] with [3]', op, r(2, 3), r(3))
    binary(f'{op} broadcasts [4,1] with [1,3] and size-1 dims', op, r(4, 1), r(1, 3))
    binary(f'{op} of a transposed and a strided input', op, r(3, 2), r(2, 6), {'va': 't', 'vb': 'step2'})
    binary(f'{op} with a number operand', op, r(2, 3), None, {'b': -1.5})
    binary(f'{op} of empty tensors broadcasts [2,0] with [2,1]', op, r(2, 0), r(2, 1))
    binary(f'{op} of signed zeros, infinities and NaN (values)', op, SPECIAL_A, SPECIAL_B, const=('a', 'b'))
binary('logaddexp of logits of +-1000', 'logaddexp', t([1000.0, -1000.0, 1000.0, 5.0]), t([1000.0, -1000.0, -1000.0, -5.0]))
binary('logaddexp2 of logits of +-1000', 'logaddexp2', t([1000.0, -1000.0, 1000.0, 5.0]), t([1000.0, -1000.0, -1000.0, -5.0]))
binary('copysign takes the sign bit of b (-0) and gives 0 gradient at a = 0', 'copysign',
       t([0.0, 1.5, -2.0, 3.0, 0.0]), t([-1.0, -0.0, 0.0, -2.0, 2.0]))

# xlogy: 0 where a == 0 (unless b is NaN), the masked gradient
binary('xlogy broadcasts [2,3] with a positive [3]', 'xlogy', r(2, 3), r(3).abs() + 0.1)
binary('xlogy with zeros in a (gradient masked where b <= 0)', 'xlogy',
       t([0.0, 0.0, 0.0, 1.5, -2.0, 0.0]), t([0.0, -1.0, 2.0, 3.0, 0.5, 1e-3]))
binary('xlogy of special values (values)', 'xlogy', t([0.0, 0.0, 0.0, 1.0, 2.0, nan, 0.0, inf]),
       t([nan, 0.0, -1.0, 0.0, -1.0, 0.0, inf, 0.0]), const=('a', 'b'))
binary('xlogy with a number b', 'xlogy', r(2, 3), None, {'b': 2.5})
# int32 operands compute in float32 (PyTorch's default dtype; float64 in this script): loose in the test
binary('xlogy of int32 operands gives float', 'xlogy', i32([0, 1, 2, 3]), i32([5, 0, 2, 3]))
binary('atan2 of int32 operands gives float', 'atan2', i32([0, 1, -2, 3]), i32([5, 0, 2, -3]))

# ------------------------------------------------------------------ fmax / fmin
fa = t([[1.0, 2.0, nan, 3.0, nan, -0.0], [0.0, -1.0, 4.0, 4.0, 5.0, 2.0]])
fb = t([[1.0, 1.0, 2.0, nan, nan, 0.0], [-0.0, 3.0, 4.0, -4.0, nan, 7.0]])
for op in ['fmax', 'fmin']:
    binary(f'{op} ignores NaN and gives ties to a', op, fa, fb)
    binary(f'{op} broadcasts [2,6] with [6] and [2,1]', op, fa, t([2.0, nan, 1.0, 3.0, 5.0, -1.0]))
    binary(f'{op} broadcasts a column', op, fa, t([[2.0], [nan]]))
    binary(f'{op} of int32 tensors stays int32', op, i32([1, -5, 3, 7]), i32([2, -6, 3, 0]))
    binary(f'{op} of bool tensors stays bool', op, b([True, False, True, False]), b([False, False, True, True]))

# ------------------------------------------------------------------ remainder, fmod, floor division
num = t([[7.0, -7.0, 7.0, -7.0, 5.5, -5.5], [0.3, -0.3, 1e3, -1e3, 2.0, -2.0]])
den = t([[2.0, 2.0, -2.0, -2.0, 1.5, 1.5], [0.7, 0.7, -3.3, 3.3, 0.25, 0.25]])
for op in ['remainder', 'fmod']:
    binary(f'{op} of floats of both signs', op, num, den)
    binary(f'{op} broadcasts [2,6] with [6]', op, num, t([2.0, -2.0, 3.0, -3.0, 0.5, -0.5]))
    binary(f'{op} of a transposed input', op, r(3, 2, scale=5), r(2, 3).abs() + 0.5, {'va': 't'})
    binary(f'{op} with a number divisor', op, num, None, {'b': -1.5})
    binary(f'{op} of int32 of both signs stays int32', op, i32([7, -7, 7, -7, 0, 9]), i32([3, 3, -3, -3, 5, 1]))
    binary(f'{op} of an int32 tensor and a number', op, i32([7, -7, 7, -7]), None, {'b': 3})
    binary(f'{op} of signed zeros, infinities, NaN and a zero divisor (values)', op,
           t([-0.0, 0.0, -5.0, 5.0, inf, nan, 3.0, -0.0, 5.0]), t([2.0, -2.0, inf, -inf, 2.0, 2.0, 0.0, -2.0, 2.0]), const=('a', 'b'))
binary('floorDivide of int32 of both signs', 'floorDivide', i32([7, -7, 7, -7, 0, -1]), i32([2, 2, -2, -2, 3, 3]))
binary('floorDivide of floats (values)', 'floorDivide', num, den, const=('a', 'b'))
binary('floorDivide of special values (values)', 'floorDivide',
       t([7.0, -7.0, -0.0, 0.0, -5.0, 5.0, 1.0, -1.0, 0.0, inf]), t([2.0, 2.0, 3.0, -3.0, inf, -inf, 0.0, 0.0, 0.0, 2.0]), const=('a', 'b'))

DIV_MODE = lambda i, p: torch.div(view(i['a'], p.get('va')), i['b'] if 'b' in i else p['b'], rounding_mode=p['mode'])
for mode in ['floor', 'trunc']:
    case(f'div with roundingMode {mode} of floats (zero gradient)', 'divRounded', DIV_MODE, {'a': num, 'b': den}, {'mode': mode})
    case(f'div with roundingMode {mode} of int32 stays int32', 'divRounded', DIV_MODE,
         {'a': i32([7, -7, 7, -7, 0, -1, 9]), 'b': i32([2, 2, -2, -2, 3, 3, 1])}, {'mode': mode})
    case(f'div with roundingMode {mode} of int32 and a fractional number gives float', 'divRounded', DIV_MODE,
         {'a': i32([7, -7, 3])}, {'mode': mode, 'b': 2.5})
    case(f'div with roundingMode {mode} of special values (values)', 'divRounded', DIV_MODE,
         {'a': t([7.0, -7.0, -0.0, 0.0, -5.0, 5.0, 1.0, -1.0, 0.0, -1.0]), 'b': t([2.0, 2.0, 3.0, -3.0, inf, -inf, 0.0, 0.0, 0.0, 3.0])},
         {'mode': mode}, const=('a', 'b'))
    case(f'div with roundingMode {mode} of a transposed input broadcast', 'divRounded', DIV_MODE,
         {'a': r(3, 2, scale=4), 'b': t([1.5, -0.7, 2.0])}, {'mode': mode, 'va': 't'})

# ------------------------------------------------------------------ float_power
binary('floatPower of float64 with a tensor exponent', 'floatPower', r(2, 3).abs() + 0.5, r(3))
binary('floatPower of int32 with a negative number exponent', 'floatPower', i32([2, -4, 1, 0]), None, {'b': -1})
binary('floatPower of int32 with a fractional number exponent', 'floatPower', i32([2, 4, 0]), None, {'b': 0.5})
binary('floatPower with a number exponent keeps the gradient', 'floatPower', r(2, 3), None, {'b': 3})

# ------------------------------------------------------------------ logical and bitwise
la = t([1.0, 0.0, nan, -0.0, 2.0, 0.0])
lb = t([1.0, 1.0, 0.0, 5.0, -inf, 0.0])
for op in ['logicalAnd', 'logicalOr', 'logicalXor']:
    binary(f'{op} of floats (NaN is true, -0 false)', op, la, lb)
    binary(f'{op} of int32 and bool broadcast', op, i32([[0, 3, -1]]), b([[True], [False]]))
ia = i32([12, -1, 0, 2147483647, -2147483648, 5])
ib = i32([10, 7, -1, 1, -1, -6])
for op in ['bitwiseAnd', 'bitwiseOr', 'bitwiseXor']:
    binary(f'{op} of int32 of both signs', op, ia, ib)
    binary(f'{op} of bool tensors stays bool', op, b([True, True, False, False]), b([True, False, True, False]))
    binary(f'{op} of bool and int32 gives int32', op, b([True, False, True]), i32([3, 3, -2]))
    binary(f'{op} of int32 and a number', op, ia, None, {'b': 6})
binary('bitwiseLeftShift of int32 by counts in [0, 31]', 'bitwiseLeftShift',
       i32([1, 1, 3, -1, 5, 1 << 20, -7]), i32([0, 31, 2, 1, 30, 12, 3]))
binary('bitwiseRightShift of int32 by counts in [0, 31] (arithmetic)', 'bitwiseRightShift',
       i32([16, -16, -1, 2147483647, -2147483648, 7, -7]), i32([2, 2, 5, 30, 31, 0, 1]))
binary('bitwiseLeftShift broadcasts a column of counts', 'bitwiseLeftShift', i32([1, -3, 5]), i32([[0], [4]]))

# ------------------------------------------------------------------ heaviside (values only)
binary('heaviside of floats with tensor values (NaN gives 0, -0 the value)', 'heaviside',
       t([nan, -1.0, 0.0, 2.0, -0.0, inf, -inf]), t([5.0]), const=('a', 'b'))
binary('heaviside broadcasts values [2,1] against [3]', 'heaviside', t([0.0, 1.0, -1.0]), t([[0.5], [7.0]]), const=('a', 'b'))
binary('heaviside of int32', 'heaviside', i32([-3, 0, 4]), i32([9]))

# ------------------------------------------------------------------ lerp, addcmul, addcdiv
LERP = lambda i, p: torch.lerp(i['a'], i['b'], i['w'] if 'w' in i else p['w'])
for w in [0.25, 0.5, 0.75, -0.5, 1.5]:
    case(f'lerp with number weight {w} broadcasts [2,3] with [3]', 'lerp', LERP, {'a': r(2, 3), 'b': r(3)}, {'w': w})
case('lerp with a tensor weight on both sides of 0.5', 'lerp', LERP,
     {'a': r(2, 4), 'b': r(2, 4), 'w': t([[0.0, 0.3, 0.5, 1.0], [0.49, 0.51, -1.0, 2.0]])})
case('lerp broadcasts start [3,1], end [4] and weight [1,4]', 'lerp', LERP, {'a': r(3, 1), 'b': r(4), 'w': r(1, 4)})
case('lerp with an infinite end (values)', 'lerp', LERP, {'a': t([1.0, 2.0, 0.0]), 'b': t([3.0, inf, nan])}, {'w': 0.3},
     const=('a', 'b'))

ADDCMUL = lambda i, p: torch.addcmul(i['x'], i['a'], i['b'], value=p.get('value', 1))
ADDCDIV = lambda i, p: torch.addcdiv(i['x'], i['a'], i['b'], value=p.get('value', 1))
case('addcmul with the default value', 'addcmul', ADDCMUL, {'x': r(2, 3), 'a': r(2, 3), 'b': r(2, 3)})
case('addcmul with value -0.5 broadcasts [3], [2,1] and [2,3]', 'addcmul', ADDCMUL,
     {'x': r(3), 'a': r(2, 1), 'b': r(2, 3)}, {'value': -0.5})
case('addcmul of int32 tensors with an integer value stays int32', 'addcmul', ADDCMUL,
     {'x': i32([1, 2]), 'a': i32([3, -4]), 'b': i32([5, 6])}, {'value': 2})
case('addcdiv with the default value', 'addcdiv', ADDCDIV, {'x': r(2, 3), 'a': r(2, 3), 'b': r(2, 3).abs() + 0.5})
case('addcdiv with value 2 broadcasts [3], [2,1] and [2,3]', 'addcdiv', ADDCDIV,
     {'x': r(3), 'a': r(2, 1), 'b': r(2, 3).abs() + 0.5}, {'value': 2.0})
case('addcdiv of an int32 input with float t1', 'addcdiv', ADDCDIV,
     {'x': i32([1, 2]), 'a': t([3.0, 4.0]), 'b': i32([2, 8])}, {'value': 3}, const=('a',))

# ------------------------------------------------------------------ isclose
ISCLOSE = lambda i, p: torch.isclose(i['a'], i['b'], rtol=p.get('rtol', 1e-5), atol=p.get('atol', 1e-8),
                                     equal_nan=p.get('equalNan', False))
ca = t([1.0, nan, inf, -inf, inf, 1e-9, 1.0, 100.0, 0.0])
cb = t([1.0 + 1e-6, nan, inf, inf, nan, 0.0, 1.00002, 100.001, -0.0])
case('isclose with the default tolerances', 'isclose', ISCLOSE, {'a': ca, 'b': cb})
case('isclose with equalNan', 'isclose', ISCLOSE, {'a': ca, 'b': cb}, {'equalNan': True})
case('isclose with rtol 0 and atol 0 is equality', 'isclose', ISCLOSE, {'a': ca, 'b': cb}, {'rtol': 0, 'atol': 0})
case('isclose with loose tolerances broadcasts', 'isclose', ISCLOSE, {'a': t([[1.0], [2.0]]), 'b': t([1.05, 1.2, 2.1])},
     {'rtol': 0.01, 'atol': 0.05})
case('isclose of int32 tensors', 'isclose', ISCLOSE, {'a': i32([1, 2, 100, -5]), 'b': i32([1, 3, 101, -5])}, {'rtol': 0.01, 'atol': 0})

# ------------------------------------------------------------------ maskedFill with a tensor value
MF = lambda i, p: i['x'].masked_fill(i['m'], i['v'])
case('maskedFill with a 0-d tensor value sends the filled gradient to it', 'maskedFill', MF,
     {'x': r(2, 3), 'm': b([[True, False, True], [False, False, True]]), 'v': t(0.5)})
case('maskedFill broadcasts the mask [3] with a 0-d value', 'maskedFill', MF,
     {'x': r(2, 3), 'm': b([False, True, True]), 'v': t(-2.0)})

# ------------------------------------------------------------------ second order
hvp('sum(atan2(a, b)^2)', 'atan2Sq', lambda i, p: (torch.atan2(i['a'], i['b']) ** 2).sum(), {'a': r(2, 3), 'b': r(3)})
hvp('sum(hypot(a, b) * a)', 'hypotA', lambda i, p: (torch.hypot(i['a'], i['b']) * i['a']).sum(), {'a': r(2, 3), 'b': r(2, 3)})
hvp('sum(logaddexp(a, b)^2)', 'logaddexpSq', lambda i, p: (torch.logaddexp(i['a'], i['b']) ** 2).sum(), {'a': r(4), 'b': r(4)})
hvp('sum(logaddexp2(a, b)^2)', 'logaddexp2Sq', lambda i, p: (torch.logaddexp2(i['a'], i['b']) ** 2).sum(), {'a': r(4), 'b': r(4)})
hvp('sum(xlogy(a, b)^2)', 'xlogySq', lambda i, p: (torch.xlogy(i['a'], i['b']) ** 2).sum(),
    {'a': r(2, 3), 'b': r(2, 3).abs() + 0.2})
hvp('sum(lerp(a, b, w)^2) with a tensor weight', 'lerpSq', lambda i, p: (torch.lerp(i['a'], i['b'], i['w']) ** 2).sum(),
    {'a': r(2, 3), 'b': r(2, 3), 'w': t([[0.2, 0.5, 0.9], [-0.3, 0.45, 1.2]])})
hvp('sum(addcdiv(x, a, b, value=0.5)^2)', 'addcdivSq',
    lambda i, p: (torch.addcdiv(i['x'], i['a'], i['b'], value=0.5) ** 2).sum(), {'x': r(3), 'a': r(3), 'b': r(3).abs() + 0.5})
hvp('sum(remainder(a, b) * b)', 'remainderB', lambda i, p: (torch.remainder(i['a'], i['b']) * i['b']).sum(),
    {'a': r(2, 3, scale=4), 'b': r(2, 3).abs() + 0.5})
hvp('sum(copysign(a, b)^3)', 'copysignCube', lambda i, p: (torch.copysign(i['a'], i['b']) ** 3).sum(), {'a': r(5), 'b': r(5)})

write('core-binary', cases, {'generator': 'scripts/torch-fixtures/core_binary.py'})

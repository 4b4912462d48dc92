"""Reference values of @tapegrad/core's matrix products, einsum and linalg ops from PyTorch, for
test/torch-parity-linalg.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch), float64, seed 0. Regenerate from the
repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_linalg.py

which rewrites test/fixtures/torch/core-linalg.json. Case format as in core.py (which cannot hold
the shape of an empty tensor: empty inputs are tested in packages/core/test instead). Inputs named with
a trailing T are transposed (a strided view) by the op on both sides. Eigenvectors are compared
through |V| (their signs are arbitrary); their gradients through |V| are sign-independent.
"""
import torch

from common import r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


def spd(n, *batch):
    a = r(*batch, n, n)
    return a @ a.mT + n * torch.eye(n, dtype=torch.float64)


def operands(i):
    """The operand tensors a, b, c, ... in name order; names ending in T are transposed."""
    keys = sorted(i.keys())
    return [i[k].mT if k.endswith('T') else i[k] for k in keys]


# ------------------------------------------------------------------ einsum
EINSUM = [
    ('batched matmul', 'bij,bjk->bik', [r(2, 3, 4), r(2, 4, 5)]),
    ('matmul, implicit output', 'ij,jk', [r(3, 4), r(4, 2)]),
    ('diagonal', 'ii->i', [r(4, 4)]),
    ('trace, implicit', 'ii', [r(3, 3)]),
    ('outer, implicit', 'i,j', [r(3), r(4)]),
    ('partial diagonal with a batch', 'iij->j', [r(3, 3, 2)]),
    ('triple diagonal', 'iii->i', [r(3, 3, 3)]),
    ('sum of all', 'ij->', [r(3, 4)]),
    ('transpose, upper case first in the implicit output', 'bA', [r(2, 3)]),
    ('ellipsis broadcast', '...ij,...jk->...ik', [r(2, 1, 3, 4), r(5, 4, 2)]),
    ('ellipsis summed when absent from the output', '...ij->ij', [r(2, 3, 4)]),
    ('ellipsis in the middle', 'i...j,j->...i', [r(2, 3, 4), r(4)]),
    ('size-1 dims broadcast', 'ik,jk->ij', [r(3, 1), r(2, 4)]),
    ('three operands left to right', 'ij,jk,kl->il', [r(2, 3), r(3, 4), r(4, 2)]),
    ('trace of a triple product', 'ij,jk,ki->', [r(2, 3), r(3, 4), r(4, 2)]),
    ('repeated index across three operands', 'i,i,i->i', [r(4), r(4), r(4)]),
    ('permuted contraction', 'ijk,jil->kl', [r(2, 3, 4), r(3, 2, 5)]),
    ('bilinear', 'bn,anm,bm->ba', [r(2, 3), r(4, 3, 5), r(2, 5)]),
    ('NaN and inf propagate', 'ij,jk->ik', [t([[float('nan'), 1.0], [2.0, 3.0]]), t([[1.0, float('inf')], [0.5, 2.0]])]),
]
for name, eq, ts in EINSUM:
    names = 'abc'[:len(ts)]
    case(f'einsum {name} ({eq})', 'einsum', lambda i, p: torch.einsum(p['eq'], *operands(i)),
         dict(zip(names, ts)), {'eq': eq})
case('einsum with a transposed (strided) operand (ij,jk->ik)', 'einsum',
     lambda i, p: torch.einsum(p['eq'], *operands(i)), {'aT': r(4, 3), 'b': r(4, 2)}, {'eq': 'ij,jk->ik'})

# ------------------------------------------------------------------ products
case('inner of [2,3,4] and [5,4]', 'inner', lambda i, p: torch.inner(i['a'], i['b']), {'a': r(2, 3, 4), 'b': r(5, 4)})
case('inner with a 0-d operand', 'inner', lambda i, p: torch.inner(i['a'], i['b']), {'a': r(), 'b': r(3)})
case('ger (outer)', 'ger', lambda i, p: torch.ger(i['a'], i['b']), {'a': r(3), 'b': r(2)})
case('mv', 'mv', lambda i, p: torch.mv(i['a'], i['b']), {'a': r(3, 4), 'b': r(4)})
case('vdot', 'vdot', lambda i, p: torch.vdot(i['a'], i['b']), {'a': r(5), 'b': r(5)})
for beta, alpha in [(1, 1), (0.5, -2)]:
    pa = {'beta': beta, 'alpha': alpha}
    case(f'addmm beta={beta} alpha={alpha} with a broadcast input', 'addmm',
         lambda i, p: torch.addmm(i['c'], i['a'], i['b'], beta=p['beta'], alpha=p['alpha']), {'a': r(3, 4), 'b': r(4, 2), 'c': r(2)}, pa)
    case(f'addmv beta={beta} alpha={alpha}', 'addmv',
         lambda i, p: torch.addmv(i['c'], i['a'], i['b'], beta=p['beta'], alpha=p['alpha']), {'a': r(3, 4), 'b': r(4), 'c': r(3)}, pa)
    case(f'addr beta={beta} alpha={alpha}', 'addr',
         lambda i, p: torch.addr(i['c'], i['a'], i['b'], beta=p['beta'], alpha=p['alpha']), {'a': r(3), 'b': r(2), 'c': r(3, 1)}, pa)
    case(f'baddbmm beta={beta} alpha={alpha}', 'baddbmm',
         lambda i, p: torch.baddbmm(i['c'], i['a'], i['b'], beta=p['beta'], alpha=p['alpha']), {'a': r(2, 3, 4), 'b': r(2, 4, 2), 'c': r(3, 2)}, pa)
    case(f'addbmm beta={beta} alpha={alpha}', 'addbmm',
         lambda i, p: torch.addbmm(i['c'], i['a'], i['b'], beta=p['beta'], alpha=p['alpha']), {'a': r(2, 3, 4), 'b': r(2, 4, 2), 'c': r(3, 2)}, pa)
case('addmm with a transposed mat1', 'addmm', lambda i, p: torch.addmm(i['c'], i['aT'].mT, i['b'], beta=p['beta'], alpha=p['alpha']),
     {'aT': r(4, 3), 'b': r(4, 2), 'c': r(3, 2)}, {'beta': 1, 'alpha': 1})
case('tensordot with dims=2', 'tensordot', lambda i, p: torch.tensordot(i['a'], i['b'], dims=p['dims']), {'a': r(2, 3, 4), 'b': r(3, 4, 5)}, {'dims': 2})
case('tensordot with dims=0', 'tensordot', lambda i, p: torch.tensordot(i['a'], i['b'], dims=p['dims']), {'a': r(2, 3), 'b': r(2)}, {'dims': 0})
case('tensordot with dim lists', 'tensordot', lambda i, p: torch.tensordot(i['a'], i['b'], dims=p['dims']),
     {'a': r(2, 3, 4), 'b': r(4, 3, 5)}, {'dims': [[1, 2], [1, 0]]})
case('kron of [2,3] and [4,2,2]', 'kron', lambda i, p: torch.kron(i['a'], i['b']), {'a': r(2, 3), 'b': r(4, 2, 2)})
case('kron of vectors', 'kron', lambda i, p: torch.kron(i['a'], i['b']), {'a': r(3), 'b': r(2)})
case('vecdot over the last dim, broadcasting', 'vecdot', lambda i, p: torch.linalg.vecdot(i['a'], i['b'], dim=p['dim']),
     {'a': r(2, 3), 'b': r(3)}, {'dim': -1})
case('vecdot over dim 0', 'vecdot', lambda i, p: torch.linalg.vecdot(i['a'], i['b'], dim=p['dim']), {'a': r(4, 3), 'b': r(4, 1)}, {'dim': 0})

# ------------------------------------------------------------------ cdist
for pn in [2.0, 1.0, 3.0, 0.5, float('inf'), 0.0]:
    case(f'cdist p={pn} on [4,3] and [5,3]', 'cdist', lambda i, p: torch.cdist(i['a'], i['b'], p=float(p['p'])),
         {'a': r(4, 3), 'b': r(5, 3)}, {'p': pn if pn != float('inf') else 'inf'})
case('cdist p=2 batched and broadcast', 'cdist', lambda i, p: torch.cdist(i['a'], i['b'], p=2.0),
     {'a': r(2, 1, 3, 2), 'b': r(3, 4, 2)}, {'p': 2})
case('cdist p=2 with zero distances (zero gradient there)', 'cdist', lambda i, p: torch.cdist(i['a'], i['b'], p=2.0),
     {'a': t([[0.0, 1.0], [2.0, 3.0]]), 'b': t([[0.0, 1.0], [1.0, 1.0]])}, {'p': 2})
case('cdist p=2 past 25 rows (the matmul form)', 'cdist', lambda i, p: torch.cdist(i['a'], i['b'], p=2.0),
     {'a': r(30, 3), 'b': r(4, 3)}, {'p': 2})

# ------------------------------------------------------------------ linalg
case('det of a batch [2,3,3]', 'det', lambda i, p: torch.linalg.det(i['a']), {'a': r(2, 3, 3)})
case('det of a transposed matrix', 'det', lambda i, p: torch.linalg.det(i['aT'].mT), {'aT': r(4, 4)})
case('slogdet of a batch', 'slogdet', lambda i, p: list(torch.linalg.slogdet(i['a'])), {'a': r(3, 3, 3)})
case('inv of a batch', 'inv', lambda i, p: torch.linalg.inv(i['a']), {'a': r(2, 3, 3)})
case('inv of a transposed matrix', 'inv', lambda i, p: torch.linalg.inv(i['aT'].mT), {'aT': r(3, 3)})
case('solve with a matrix right-hand side', 'solve', lambda i, p: torch.linalg.solve(i['a'], i['b']), {'a': r(3, 3), 'b': r(3, 2)})
case('solve with a vector right-hand side', 'solve', lambda i, p: torch.linalg.solve(i['a'], i['b']), {'a': r(3, 3), 'b': r(3)})
case('solve broadcasting batch dims', 'solve', lambda i, p: torch.linalg.solve(i['a'], i['b']), {'a': r(2, 1, 3, 3), 'b': r(4, 3, 2)})
case('solve with left=False', 'solve', lambda i, p: torch.linalg.solve(i['a'], i['b'], left=False), {'a': r(3, 3), 'b': r(2, 3)}, {'left': False})
case('cholesky of a batch', 'cholesky', lambda i, p: torch.linalg.cholesky(i['a']), {'a': spd(3, 2)}, {'upper': False})
case('cholesky upper', 'cholesky', lambda i, p: torch.linalg.cholesky(i['a'], upper=True), {'a': spd(4)}, {'upper': True})
case('qr reduced of a tall matrix', 'qr', lambda i, p: list(torch.linalg.qr(i['a'], mode=p['mode'])), {'a': r(5, 3)}, {'mode': 'reduced'})
case('qr reduced of a batch of square matrices', 'qr', lambda i, p: list(torch.linalg.qr(i['a'], mode=p['mode'])), {'a': r(2, 3, 3)}, {'mode': 'reduced'})
case('qr complete of a square matrix', 'qr', lambda i, p: list(torch.linalg.qr(i['a'], mode=p['mode'])), {'a': r(3, 3)}, {'mode': 'complete'})
case('qr r of a tall matrix (values only: PyTorch has no gradient in mode r)', 'qrR', lambda i, p: torch.linalg.qr(i['a'], mode='r')[1], {'a': r(4, 2)}, {'mode': 'r'}, const=('a',))
case('qr reduced of a wide matrix', 'qr', lambda i, p: list(torch.linalg.qr(i['a'], mode=p['mode'])),
     {'a': r(2, 4)}, {'mode': 'reduced'})


def sym(a):
    return a + a.mT


case('eigh of a batch (eigenvalues, |eigenvectors|)', 'eigh',
     lambda i, p: (lambda e: [e.eigenvalues, e.eigenvectors.abs()])(torch.linalg.eigh(sym(i['a']), UPLO=p['UPLO'])),
     {'a': r(2, 4, 4)}, {'UPLO': 'L'})
case('eigh reading the upper triangle', 'eigh',
     lambda i, p: (lambda e: [e.eigenvalues, e.eigenvectors.abs()])(torch.linalg.eigh(i['a'], UPLO=p['UPLO'])),
     {'a': r(3, 3)}, {'UPLO': 'U'})
case('eigvalsh', 'eigvalsh', lambda i, p: torch.linalg.eigvalsh(i['a']), {'a': r(4, 4)})
for shape in [(4, 3), (3, 4), (2, 3, 3)]:
    case(f'svd reduced of {list(shape)} (U, S, Vh up to sign: |U|, S, |Vh|)', 'svd',
         lambda i, p: (lambda u, s_, vh: [u.abs(), s_, vh.abs()])(*torch.linalg.svd(i['a'], full_matrices=False)),
         {'a': r(*shape)}, {'fullMatrices': False})
case('svd full of a square matrix', 'svd', lambda i, p: (lambda u, s_, vh: [u.abs(), s_, vh.abs()])(*torch.linalg.svd(i['a'])),
     {'a': r(3, 3)}, {'fullMatrices': True})
case('svdvals of a transposed batch', 'svdvals', lambda i, p: torch.linalg.svdvals(i['aT'].mT), {'aT': r(2, 4, 3)})
case('pinv of a tall matrix', 'pinv', lambda i, p: torch.linalg.pinv(i['a']), {'a': r(4, 3)}, {})
case('pinv of a wide batch', 'pinv', lambda i, p: torch.linalg.pinv(i['a']), {'a': r(2, 2, 3)}, {})
case('pinv of a rank-deficient matrix', 'pinv', lambda i, p: torch.linalg.pinv(i['a']),
     {'a': t([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])}, {})
case('pinv hermitian', 'pinv', lambda i, p: torch.linalg.pinv(sym(i['a']), hermitian=True), {'a': r(3, 3)}, {'hermitian': True})
for n in [3, 0, -2]:
    case(f'matrix_power n={n}', 'matrixPower', lambda i, p: torch.linalg.matrix_power(i['a'], p['n']), {'a': r(2, 3, 3)}, {'n': n})

# ------------------------------------------------------------------ second order
hvp('sum(einsum(bij,bjk->bik)^2)', 'einsumSq', lambda i, p: (torch.einsum('bij,bjk->bik', i['a'], i['b']) ** 2).sum(),
    {'a': r(2, 2, 3), 'b': r(2, 3, 2)})
# (no cdist hvp: PyTorch 1.13 has no derivative of _cdist_backward)
hvp('det(a)', 'detFn', lambda i, p: torch.linalg.det(i['a']), {'a': r(3, 3)})
hvp('sum(inv(a)^2)', 'invSq', lambda i, p: (torch.linalg.inv(i['a']) ** 2).sum(), {'a': r(3, 3) + 3 * torch.eye(3)})
hvp('sum(cholesky(a)^2) for symmetric positive-definite a', 'choleskySq',
    lambda i, p: (torch.linalg.cholesky(i['a']) ** 2).sum(), {'a': spd(3)})
hvp('sum(eigvalsh(a)^3)', 'eigvalshCube', lambda i, p: (torch.linalg.eigvalsh(sym(i['a'])) ** 3).sum(), {'a': r(3, 3)})
hvp('sum(svdvals(a)^2 * [1, 2])', 'svdvalsW', lambda i, p: (torch.linalg.svdvals(i['a']) ** 2 * t([1.0, 2.0])).sum(), {'a': r(3, 2)})
hvp('sum(pinv(a)^2)', 'pinvSq', lambda i, p: (torch.linalg.pinv(i['a']) ** 2).sum(), {'a': r(3, 2)})
hvp('sum(solve(a, b)^2)', 'solveSq', lambda i, p: (torch.linalg.solve(i['a'], i['b']) ** 2).sum(),
    {'a': r(3, 3) + 3 * torch.eye(3), 'b': r(3, 2)})

write('core-linalg', cases, {'generator': 'scripts/torch-fixtures/core_linalg.py'})  # common.write would name core-linalg.py

import { describe, expect, it } from 'vitest';
import {
  Generator, Tensor, bmm, chunk, clone, expand, flatten, gradcheck, gradgradcheck, outer, permute, randn,
  reshape, split, squeeze, stack, sumToShape, tensor, toDType, transpose, unsqueeze, view, ones, ShapeError,
} from '@tapegrad/core';

// Second derivatives of linear ops (views, copies, casts) are zero, so these checks differentiate
// a quadratic of the op's output, `op(a) * op(a)`: that exercises the op's backward rule under
// createGraph (the rule itself is recorded and differentiated).

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });
const sq = (t: Tensor) => t.mul(t);

describe('clone', () => {
  it('copies into new storage', () => {
    const x = tensor([1, 2, 3]);
    const y = clone(x);
    expect(y.storage).not.toBe(x.storage);
    expect(y.toArray()).toEqual([1, 2, 3]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => clone(a.T), [f64([2, 3])]);
    gradgradcheck((a) => sq(clone(a)), [f64([2, 3])]);
  });
});

describe('toDType', () => {
  it('passes gradcheck and gradgradcheck between float dtypes', () => {
    gradcheck((a) => toDType(toDType(a, 'float32'), 'float64'), [f64([3])], { atol: 1e-3, rtol: 1e-3, eps: 1e-3 });
    gradgradcheck((a) => sq(toDType(a, 'float64')), [f64([3])]);
  });
  it('cuts the tape when casting to int32', () => {
    const x = f64([3]);
    expect(toDType(x, 'int32').requiresGrad).toBe(false);
  });
});

describe('view', () => {
  it('shares storage and passes gradcheck and gradgradcheck', () => {
    const x = f64([2, 3]);
    expect(view(x, [3, 2]).storage).toBe(x.storage);
    gradcheck((a) => view(a, [6]), [f64([2, 3])]);
    gradgradcheck((a) => sq(view(a, [3, -1])), [f64([2, 3])]);
  });
  it('throws when the strides do not allow a view', () => {
    expect(() => view(ones([2, 3]).T, [6])).toThrow(ShapeError);
  });
});

describe('sumToShape', () => {
  it('sums leading and size-1 dims, the inverse of broadcasting', () => {
    const g = tensor([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    expect(sumToShape(g, [1, 3])).toBeAllClose([[5, 7, 9]]);
    expect(sumToShape(g, [3])).toBeAllClose([5, 7, 9]);
    expect(sumToShape(g, [1, 1])).toBeAllClose([[21]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => sumToShape(a, [3, 1]), [f64([2, 3, 4])]);
    gradgradcheck((a) => sq(sumToShape(a, [1, 4])), [f64([2, 3, 4])]);
  });
  it('throws for shapes that do not broadcast', () => {
    expect(() => sumToShape(ones([2, 3]), [4])).toThrow(/sumToShape: cannot reduce shape \[2,3\] to \[4\]/);
  });
});

describe('reshape', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(reshape(a.T, [6])), [f64([2, 3])]));
});
describe('expand', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(expand(a, [2, 3, 4])), [f64([3, 1])]));
});
describe('permute', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(permute(a, [2, 0, 1])), [f64([2, 1, 3])]));
});
describe('transpose', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(transpose(a, 0, 1)), [f64([2, 3])]));
});
describe('squeeze', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(squeeze(a, 1)), [f64([2, 1, 3])]));
});
describe('unsqueeze', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(unsqueeze(a, -1)), [f64([2, 3])]));
});
describe('flatten', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => sq(flatten(a, 1)), [f64([2, 3, 2])]));
});
describe('stack', () => {
  it('passes gradgradcheck', () => gradgradcheck((a, b) => sq(stack([a, b], 1)), [f64([2, 3]), f64([2, 3], 2)]));
});
describe('split', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => split(a, [1, 2], 1).map(sq), [f64([2, 3])]));
});
describe('chunk', () => {
  it('passes gradgradcheck', () => gradgradcheck((a) => chunk(a, 2, 0).map(sq), [f64([3, 2])]));
});
describe('bmm', () => {
  it('passes gradgradcheck', () => gradgradcheck((a, b) => bmm(a, b), [f64([2, 2, 3]), f64([2, 3, 2], 2)]));
});
describe('outer', () => {
  it('passes gradgradcheck', () => gradgradcheck((a, b) => outer(a, b), [f64([3]), f64([2], 2)]));
});

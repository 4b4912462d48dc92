import { describe, expect, it } from 'vitest';
import * as core from '@tapegrad/core';
import { ValueError, grad, gradcheck, backward, ones, tensor, type Tensor } from '@tapegrad/core';
import * as ops from '../src/ops/index.js';

// Every op that takes tensors, called with a plain array or a number in one tensor position at
// a time (the other arguments valid), must throw a ValueError naming the op, not fail later
// inside a kernel with "Cannot read properties of undefined".

const x = ones([2, 2]);
const m = ones([2, 2]);
const v = ones([2]);
const idx = tensor([[0, 1], [1, 0]], { dtype: 'int32' });
const img = ones([1, 1, 4, 4]);
const w = ones([1, 1, 3, 3]);
const cond = x.gt(0);
const n32 = tensor([[1, 2], [3, 4]], { dtype: 'int32' });

/** The bad values tried in each tensor position. */
const BAD: unknown[] = [[1, 2], 3];

type Call = (bad: never) => unknown;

/** (op, one call per tensor argument, the bad value put in that argument). */
const TENSOR_ARGS: Record<string, Call[]> = {
  abs: [(b) => ops.abs(b)],
  all: [(b) => ops.all(b)],
  amax: [(b) => ops.amax(b)],
  amin: [(b) => ops.amin(b)],
  any: [(b) => ops.any(b)],
  argmax: [(b) => ops.argmax(b)],
  argmin: [(b) => ops.argmin(b)],
  avgPool2d: [(b) => ops.avgPool2d(b, 2)],
  bmm: [(b) => ops.bmm(b, ones([1, 2, 2])), (b) => ops.bmm(ones([1, 2, 2]), b)],
  cat: [(b) => ops.cat([b, x]), (b) => ops.cat([x, b]), (b) => ops.cat(b)],
  chunk: [(b) => ops.chunk(b, 2)],
  clamp: [(b) => ops.clamp(b, 0, 1)],
  clone: [(b) => ops.clone(b)],
  conv2d: [(b) => ops.conv2d(b, w), (b) => ops.conv2d(img, b)],
  convTranspose2d: [(b) => ops.convTranspose2d(b, w), (b) => ops.convTranspose2d(img, b)],
  cos: [(b) => ops.cos(b)],
  dot: [(b) => ops.dot(b, v), (b) => ops.dot(v, b)],
  elu: [(b) => ops.elu(b)],
  erf: [(b) => ops.erf(b)],
  exp: [(b) => ops.exp(b)],
  expand: [(b) => ops.expand(b, [2, 2])],
  flatten: [(b) => ops.flatten(b)],
  gather: [(b) => ops.gather(b, 1, idx), (b) => ops.gather(x, 1, b)],
  gelu: [(b) => ops.gelu(b)],
  indexAdd: [
    (b) => ops.indexAdd(b, 0, tensor([0], { dtype: 'int32' }), ones([1, 2])),
    (b) => ops.indexAdd(x, 0, b, ones([1, 2])),
    (b) => ops.indexAdd(x, 0, tensor([0], { dtype: 'int32' }), b),
  ],
  indexSelect: [(b) => ops.indexSelect(b, 0, tensor([0], { dtype: 'int32' })), (b) => ops.indexSelect(x, 0, b)],
  leakyRelu: [(b) => ops.leakyRelu(b)],
  log: [(b) => ops.log(b)],
  log1p: [(b) => ops.log1p(b)],
  logSoftmax: [(b) => ops.logSoftmax(b)],
  logsumexp: [(b) => ops.logsumexp(b, 0)],
  maskedFill: [(b) => ops.maskedFill(b, cond, 0), (b) => ops.maskedFill(x, b, 0)],
  matmul: [(b) => ops.matmul(b, m), (b) => ops.matmul(m, b)],
  max: [(b) => ops.max(b)],
  maxPool2d: [(b) => ops.maxPool2d(b, 2)],
  mean: [(b) => ops.mean(b)],
  min: [(b) => ops.min(b)],
  narrow: [(b) => ops.narrow(b, 0, 0, 1)],
  neg: [(b) => ops.neg(b)],
  oneHot: [(b) => ops.oneHot(b, 3)],
  outer: [(b) => ops.outer(b, v), (b) => ops.outer(v, b)],
  permute: [(b) => ops.permute(b, [1, 0])],
  prod: [(b) => ops.prod(b)],
  relu: [(b) => ops.relu(b)],
  reshape: [(b) => ops.reshape(b, [4])],
  rsqrt: [(b) => ops.rsqrt(b)],
  scatterAdd: [(b) => ops.scatterAdd(b, 1, idx, x), (b) => ops.scatterAdd(x, 1, b, x), (b) => ops.scatterAdd(x, 1, idx, b)],
  select: [(b) => ops.select(b, 0, 0)],
  sigmoid: [(b) => ops.sigmoid(b)],
  sign: [(b) => ops.sign(b)],
  sin: [(b) => ops.sin(b)],
  slice: [(b) => ops.slice(b, [null])],
  softmax: [(b) => ops.softmax(b)],
  softplus: [(b) => ops.softplus(b)],
  split: [(b) => ops.split(b, 1)],
  sqrt: [(b) => ops.sqrt(b)],
  squeeze: [(b) => ops.squeeze(b)],
  stack: [(b) => ops.stack([b, x]), (b) => ops.stack([x, b]), (b) => ops.stack(b)],
  std: [(b) => ops.std(b)],
  sum: [(b) => ops.sum(b)],
  sumToShape: [(b) => ops.sumToShape(b, [2])],
  tanh: [(b) => ops.tanh(b)],
  toDType: [(b) => ops.toDType(b, 'float64')],
  transpose: [(b) => ops.transpose(b, 0, 1)],
  unsqueeze: [(b) => ops.unsqueeze(b, 0)],
  variance: [(b) => ops.variance(b)],
  view: [(b) => ops.view(b, [4])],
  where: [(b) => ops.where(b, x, 0)],
  // issue 17 shape ops
  movedim: [(b) => ops.movedim(b, 0, 1)],
  moveaxis: [(b) => ops.moveaxis(b, 0, 1)],
  swapdims: [(b) => ops.swapdims(b, 0, 1)],
  swapaxes: [(b) => ops.swapaxes(b, 0, 1)],
  unflatten: [(b) => ops.unflatten(b, 0, [2, 1])],
  broadcastTo: [(b) => ops.broadcastTo(b, [2, 2])],
  broadcastTensors: [(b) => ops.broadcastTensors(b, x), (b) => ops.broadcastTensors(x, b)],
  hstack: [(b) => ops.hstack([b, x]), (b) => ops.hstack(b)],
  vstack: [(b) => ops.vstack([x, b]), (b) => ops.vstack(b)],
  rowStack: [(b) => ops.rowStack([b, x])],
  dstack: [(b) => ops.dstack([b, x])],
  columnStack: [(b) => ops.columnStack([b, x])],
  tensorSplit: [(b) => ops.tensorSplit(b, 2)],
  unbind: [(b) => ops.unbind(b)],
  flip: [(b) => ops.flip(b, [0])],
  fliplr: [(b) => ops.fliplr(b)],
  flipud: [(b) => ops.flipud(b)],
  rot90: [(b) => ops.rot90(b)],
  roll: [(b) => ops.roll(b, 1)],
  repeat: [(b) => ops.repeat(b, [1, 1])],
  tile: [(b) => ops.tile(b, [1, 1])],
  repeatInterleave: [(b) => ops.repeatInterleave(b, 2)],
  tril: [(b) => ops.tril(b)],
  triu: [(b) => ops.triu(b)],
  diagonal: [(b) => ops.diagonal(b)],
  diagEmbed: [(b) => ops.diagEmbed(b)],
  diag: [(b) => ops.diag(b)],
  diagflat: [(b) => ops.diagflat(b)],
  // issue 17 indexing
  scatter: [(b) => ops.scatter(b, 1, idx, x), (b) => ops.scatter(x, 1, b, x)],
  scatterReduce: [(b) => ops.scatterReduce(b, 1, idx, x, 'sum'), (b) => ops.scatterReduce(x, 1, b, x, 'sum'), (b) => ops.scatterReduce(x, 1, idx, b, 'sum')],
  take: [(b) => ops.take(b, idx), (b) => ops.take(x, b)],
  takeAlongDim: [(b) => ops.takeAlongDim(b, idx, 1), (b) => ops.takeAlongDim(x, b, 1)],
  nonzero: [(b) => ops.nonzero(b)],
  argwhere: [(b) => ops.argwhere(b)],
  searchsorted: [(b) => ops.searchsorted(b, v)],
  bucketize: [(b) => ops.bucketize(v, b)],
  index: [(b) => ops.index(b, [0])],
  indexPut: [(b) => ops.indexPut(b, [0], 1)],
  indexCopy: [
    (b) => ops.indexCopy(b, 0, tensor([0], { dtype: 'int32' }), ones([1, 2])),
    (b) => ops.indexCopy(x, 0, b, ones([1, 2])),
    (b) => ops.indexCopy(x, 0, tensor([0], { dtype: 'int32' }), b),
  ],
  indexFill: [(b) => ops.indexFill(b, 0, tensor([0], { dtype: 'int32' }), 1), (b) => ops.indexFill(x, 0, b, 1)],
  maskedSelect: [(b) => ops.maskedSelect(b, cond), (b) => ops.maskedSelect(x, b)],
  maskedScatter: [(b) => ops.maskedScatter(b, cond, x), (b) => ops.maskedScatter(x, b, x), (b) => ops.maskedScatter(x, cond, b)],
  // issue 17 unary math
  exp2: [(b) => ops.exp2(b)],
  expm1: [(b) => ops.expm1(b)],
  log2: [(b) => ops.log2(b)],
  log10: [(b) => ops.log10(b)],
  reciprocal: [(b) => ops.reciprocal(b)],
  square: [(b) => ops.square(b)],
  tan: [(b) => ops.tan(b)],
  asin: [(b) => ops.asin(b)],
  acos: [(b) => ops.acos(b)],
  atan: [(b) => ops.atan(b)],
  sinh: [(b) => ops.sinh(b)],
  cosh: [(b) => ops.cosh(b)],
  asinh: [(b) => ops.asinh(b)],
  acosh: [(b) => ops.acosh(b)],
  atanh: [(b) => ops.atanh(b)],
  sinc: [(b) => ops.sinc(b)],
  logit: [(b) => ops.logit(b)],
  erfc: [(b) => ops.erfc(b)],
  erfinv: [(b) => ops.erfinv(b)],
  lgamma: [(b) => ops.lgamma(b)],
  digamma: [(b) => ops.digamma(b)],
  floor: [(b) => ops.floor(b)],
  ceil: [(b) => ops.ceil(b)],
  round: [(b) => ops.round(b)],
  trunc: [(b) => ops.trunc(b)],
  frac: [(b) => ops.frac(b)],
  nanToNum: [(b) => ops.nanToNum(b)],
  isnan: [(b) => ops.isnan(b)],
  isinf: [(b) => ops.isinf(b)],
  isposinf: [(b) => ops.isposinf(b)],
  isneginf: [(b) => ops.isneginf(b)],
  isfinite: [(b) => ops.isfinite(b)],
  logicalNot: [(b) => ops.logicalNot(b)],
  polygamma: [(b) => ops.polygamma(1, b)],
  // issue 17 binary math
  lerp: [(b) => ops.lerp(b, v, 0.5), (b) => ops.lerp(v, b, 0.5)],
  addcmul: [(b) => ops.addcmul(b, v, v), (b) => ops.addcmul(v, b, v), (b) => ops.addcmul(v, v, b)],
  addcdiv: [(b) => ops.addcdiv(b, v, v), (b) => ops.addcdiv(v, b, v), (b) => ops.addcdiv(v, v, b)],
  bitwiseNot: [(b) => ops.bitwiseNot(b)],
  heaviside: [(b) => ops.heaviside(b, 0)],
  // issue 17 scans, sorting and reductions
  cumsum: [(b) => ops.cumsum(b, 0)],
  cumprod: [(b) => ops.cumprod(b, 0)],
  cummax: [(b) => ops.cummax(b, 0)],
  cummin: [(b) => ops.cummin(b, 0)],
  logcumsumexp: [(b) => ops.logcumsumexp(b, 0)],
  sort: [(b) => ops.sort(b)],
  argsort: [(b) => ops.argsort(b)],
  topk: [(b) => ops.topk(b, 1)],
  kthvalue: [(b) => ops.kthvalue(b, 1)],
  median: [(b) => ops.median(b)],
  nanmedian: [(b) => ops.nanmedian(b)],
  mode: [(b) => ops.mode(b)],
  quantile: [(b) => ops.quantile(b, 0.5), (b) => ops.quantile(x, b)],
  nanquantile: [(b) => ops.nanquantile(b, 0.5), (b) => ops.nanquantile(x, b)],
  nansum: [(b) => ops.nansum(b)],
  nanmean: [(b) => ops.nanmean(b)],
  varMean: [(b) => ops.varMean(b)],
  stdMean: [(b) => ops.stdMean(b)],
  aminmax: [(b) => ops.aminmax(b)],
  countNonzero: [(b) => ops.countNonzero(b)],
  norm: [(b) => ops.norm(b)],
  vectorNorm: [(b) => ops.linalg.vectorNorm(b)],
  matrixNorm: [(b) => ops.linalg.matrixNorm(b)],
  unique: [(b) => ops.unique(b)],
  bincount: [(b) => ops.bincount(b)],
  histc: [(b) => ops.histc(b)],
  // issue 17 products and linalg
  einsum: [(b) => ops.einsum('ij,jk->ik', b, m), (b) => ops.einsum('ij,jk->ik', m, b)],
  det: [(b) => ops.det(b)],
  slogdet: [(b) => ops.slogdet(b)],
  inverse: [(b) => ops.inverse(b)],
  cholesky: [(b) => ops.cholesky(b)],
  matrixPower: [(b) => ops.matrixPower(b, 2)],
  pinverse: [(b) => ops.pinverse(b)],
  addmm: [(b) => ops.addmm(b, m, m), (b) => ops.addmm(m, b, m), (b) => ops.addmm(m, m, b)],
  addmv: [(b) => ops.addmv(b, m, v), (b) => ops.addmv(v, b, v), (b) => ops.addmv(v, m, b)],
  addr: [(b) => ops.addr(b, v, v), (b) => ops.addr(m, b, v), (b) => ops.addr(m, v, b)],
  baddbmm: [(b) => ops.baddbmm(b, ones([2, 2, 2]), ones([2, 2, 2])), (b) => ops.baddbmm(ones([2, 2, 2]), b, ones([2, 2, 2])), (b) => ops.baddbmm(ones([2, 2, 2]), ones([2, 2, 2]), b)],
  addbmm: [(b) => ops.addbmm(b, ones([2, 2, 2]), ones([2, 2, 2])), (b) => ops.addbmm(m, b, ones([2, 2, 2])), (b) => ops.addbmm(m, ones([2, 2, 2]), b)],
  mv: [(b) => ops.mv(b, v), (b) => ops.mv(m, b)],
  vdot: [(b) => ops.vdot(b, v), (b) => ops.vdot(v, b)],
  ger: [(b) => ops.ger(b, v), (b) => ops.ger(v, b)],
  inner: [(b) => ops.inner(b, v), (b) => ops.inner(v, b)],
  tensordot: [(b) => ops.tensordot(b, m, 1), (b) => ops.tensordot(m, b, 1)],
  kron: [(b) => ops.kron(b, m), (b) => ops.kron(m, b)],
  cdist: [(b) => ops.cdist(b, m), (b) => ops.cdist(m, b)],
  vecdot: [(b) => ops.vecdot(b, v), (b) => ops.vecdot(v, b)],
  // issue 17 random sampling
  multinomial: [(b) => ops.multinomial(b, 1)],
  bernoulli: [(b) => ops.bernoulli(b)],
  poisson: [(b) => ops.poisson(b)],
  randLike: [(b) => ops.randLike(b)],
  randnLike: [(b) => ops.randnLike(b)],
  randintLike: [(b) => ops.randintLike(b, 3)],
  // issue 18 fused layer norm
  fusedAttention: [
    (b) => ops.fusedAttention(b, x, x, { scale: 1, causal: false }),
    (b) => ops.fusedAttention(x, b, x, { scale: 1, causal: false }),
    (b) => ops.fusedAttention(x, x, b, { scale: 1, causal: false }),
  ],
  fusedLstmCell: [(b) => ops.fusedLstmCell(b, ones([1, 4]), v.narrow(0, 0, 1).reshape([1, 1])), (b) => ops.fusedLstmCell(ones([1, 4]), b, ones([1, 1])), (b) => ops.fusedLstmCell(ones([1, 4]), ones([1, 4]), b)],
  fusedLinear: [(b) => ops.fusedLinear(b, x, v), (b) => ops.fusedLinear(x, b, v), (b) => ops.fusedLinear(x, x, b)],
  layerNorm: [(b) => ops.layerNorm(b, 2), (b) => ops.layerNorm(ones([2, 2]), 2, { weight: b }), (b) => ops.layerNorm(ones([2, 2]), 2, { bias: b })],
  resampleAlong: [
    (b) => ops.resampleAlong(b, 0, ones([1, 1], { dtype: 'int32' }), ones([1, 1])), (b) => ops.resampleAlong(ones([2]), 0, b, ones([1, 1])),
    (b) => ops.resampleAlong(ones([2]), 0, ones([1, 1], { dtype: 'int32' }), b),
  ],
};

/** Exported ops that take no tensor at all. */
const NO_TENSOR_ARGS = new Set(['trilIndices', 'triuIndices']);

/** Ops whose tensor arguments also take numbers (as scalars): only arrays and other objects are refused there. */
const TENSOR_OR_NUMBER_ARGS: Record<string, Call[]> = {
  add: [(b) => ops.add(b, x), (b) => ops.add(x, b)],
  sub: [(b) => ops.sub(b, x), (b) => ops.sub(x, b)],
  mul: [(b) => ops.mul(b, x), (b) => ops.mul(x, b)],
  div: [(b) => ops.div(b, x), (b) => ops.div(x, b)],
  pow: [(b) => ops.pow(b, x), (b) => ops.pow(x, b)],
  minimum: [(b) => ops.minimum(b, x), (b) => ops.minimum(x, b)],
  maximum: [(b) => ops.maximum(b, x), (b) => ops.maximum(x, b)],
  eq: [(b) => ops.eq(b, x), (b) => ops.eq(x, b)],
  ne: [(b) => ops.ne(b, x), (b) => ops.ne(x, b)],
  lt: [(b) => ops.lt(b, x), (b) => ops.lt(x, b)],
  le: [(b) => ops.le(b, x), (b) => ops.le(x, b)],
  gt: [(b) => ops.gt(b, x), (b) => ops.gt(x, b)],
  ge: [(b) => ops.ge(b, x), (b) => ops.ge(x, b)],
  where: [(b) => ops.where(cond, b, x), (b) => ops.where(cond, x, b)],  // issue 17 binary math
  atan2: [(b) => ops.atan2(b, x), (b) => ops.atan2(x, b)],
  hypot: [(b) => ops.hypot(b, x), (b) => ops.hypot(x, b)],
  logaddexp: [(b) => ops.logaddexp(b, x), (b) => ops.logaddexp(x, b)],
  logaddexp2: [(b) => ops.logaddexp2(b, x), (b) => ops.logaddexp2(x, b)],
  xlogy: [(b) => ops.xlogy(b, x), (b) => ops.xlogy(x, b)],
  copysign: [(b) => ops.copysign(b, x), (b) => ops.copysign(x, b)],
  fmax: [(b) => ops.fmax(b, x), (b) => ops.fmax(x, b)],
  fmin: [(b) => ops.fmin(b, x), (b) => ops.fmin(x, b)],
  remainder: [(b) => ops.remainder(b, x), (b) => ops.remainder(x, b)],
  fmod: [(b) => ops.fmod(b, x), (b) => ops.fmod(x, b)],
  floorDivide: [(b) => ops.floorDivide(b, x), (b) => ops.floorDivide(x, b)],
  floatPower: [(b) => ops.floatPower(b, x), (b) => ops.floatPower(x, b)],
  isclose: [(b) => ops.isclose(b, x), (b) => ops.isclose(x, b)],
  allclose: [(b) => ops.allclose(b, x), (b) => ops.allclose(x, b)],
  logicalAnd: [(b) => ops.logicalAnd(b, x), (b) => ops.logicalAnd(x, b)],
  logicalOr: [(b) => ops.logicalOr(b, x), (b) => ops.logicalOr(x, b)],
  logicalXor: [(b) => ops.logicalXor(b, x), (b) => ops.logicalXor(x, b)],
  bitwiseAnd: [(b) => ops.bitwiseAnd(b, n32), (b) => ops.bitwiseAnd(n32, b)],
  bitwiseOr: [(b) => ops.bitwiseOr(b, n32), (b) => ops.bitwiseOr(n32, b)],
  bitwiseXor: [(b) => ops.bitwiseXor(b, n32), (b) => ops.bitwiseXor(n32, b)],
  bitwiseLeftShift: [(b) => ops.bitwiseLeftShift(b, n32), (b) => ops.bitwiseLeftShift(n32, b)],
  bitwiseRightShift: [(b) => ops.bitwiseRightShift(b, n32), (b) => ops.bitwiseRightShift(n32, b)],
  lerpWeight: [(b) => ops.lerp(v, v, b)],
  heavisideValues: [(b) => ops.heaviside(x, b)],
  // issue 17 random sampling: normal(mean, std) takes tensors or numbers (and normal(0, 1, size) no tensor)
  normal: [(b) => ops.normal(b, x), (b) => ops.normal(x, b, {})],
};

/** The name each op's errors start with, where it differs from the export. */
const OP_NAME: Record<string, string> = { variance: 'var', toDType: 'to', rowStack: 'vstack', lerpWeight: 'lerp', heavisideValues: 'heaviside', pinverse: 'pinv', ger: 'outer' };

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectRefused(op: string, call: () => unknown, what: string): void {
  const e = errorOf(call);
  expect(e, `${op} with ${what}`).toBeInstanceOf(ValueError);
  expect((e as Error).message, `${op} with ${what}`).toMatch(new RegExp(`^${OP_NAME[op] ?? op}: `));
}

describe('tensor arguments', () => {
  it('every exported op refuses an array or a number where it needs a Tensor, with a ValueError naming the op', () => {
    for (const [op, calls] of Object.entries(TENSOR_ARGS))
      for (const call of calls) for (const bad of BAD) expectRefused(op, () => call(bad as never), JSON.stringify(bad));
  });

  it('ops that take numbers as scalars refuse arrays, strings and plain objects, naming the op', () => {
    for (const [op, calls] of Object.entries(TENSOR_OR_NUMBER_ARGS))
      for (const call of calls)
        for (const bad of [[1, 2], '2', {}]) expectRefused(op, () => call(bad as never), JSON.stringify(bad));
  });

  it('every function exported from the ops is in one of the tables above', () => {
    const exported = Object.entries(ops).filter(([, f]) => typeof f === 'function').map(([name]) => name);
    const covered = new Set([...Object.keys(TENSOR_ARGS), ...Object.keys(TENSOR_OR_NUMBER_ARGS), ...NO_TENSOR_ARGS]);
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
    // and the package exports them all under the same names
    for (const name of exported) expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
  });

  it('prints the bad value and the argument it was passed as', () => {
    expect(() => ops.cat([[1, 2], x] as never)).toThrow('cat: tensors[0] must be a Tensor, got an array [1, 2]');
    expect(() => ops.stack([x, 3] as never)).toThrow('stack: tensors[1] must be a Tensor, got 3 (a number)');
    expect(() => ops.cat(x as never)).toThrow('cat: tensors must be an array of Tensors, got a Tensor');
    expect(() => ops.exp([1] as never)).toThrow('exp: x must be a Tensor, got an array [1]');
    expect(() => ops.gather(x, 1, [[0]] as never)).toThrow('gather: index must be a Tensor, got an array [0]');
    expect(() => ops.add(x, [1, 2] as never)).toThrow('add: expected a Tensor or a number, got an array [1, 2]');
    expect(() => ops.mul(x, '2' as never)).toThrow("mul: expected a Tensor or a number, got '2' (a string)");
  });

  it('Tensor methods refuse a non-Tensor in their other tensor arguments', () => {
    const t = (): Tensor => ones([2, 2]);
    const methods: Array<[string, (b: never) => unknown]> = [
      ['add_', (b) => t().add_(b)],
      ['sub_', (b) => t().sub_(b)],
      ['mul_', (b) => t().mul_(b)],
      ['div_', (b) => t().div_(b)],
      ['copy_', (b) => t().copy_(b)],
      ['maximum_', (b) => t().maximum_(b)],
      ['addcmul_', (b) => t().addcmul_(b, x)],
      ['addcmul_', (b) => t().addcmul_(x, b)],
      ['addcdiv_', (b) => t().addcdiv_(b, x)],
      ['addcdiv_', (b) => t().addcdiv_(x, b)],
      ['expandAs', (b) => t().expandAs(b)],
      ['reshapeAs', (b) => t().reshapeAs(b)],
      ['viewAs', (b) => t().viewAs(b)],
      ['mm', (b) => t().mm(b)],
      ['matmul', (b) => t().matmul(b)],
      ['gather', (b) => t().gather(1, b)],
      ['maskedFill', (b) => t().maskedFill(b, 0)],
    ];
    for (const [op, call] of methods) expectRefused(op, () => call([1, 2] as never), '[1, 2]');
    // The in-place ops took an array silently before (as a scalar NaN write or a no-op).
    const before = t();
    expect(() => before.add_([1, 2] as never)).toThrow('add_: expected a Tensor or a number, got an array [1, 2]');
    expect(before.toArray()).toEqual([[1, 1], [1, 1]]);
  });

  it('the autograd entry points refuse non-tensors too', () => {
    const p = ones([2], { requiresGrad: true });
    expect(() => backward([1] as never)).toThrow('backward: tensor must be a Tensor, got an array [1]');
    expect(() => grad(p.sum(), [[1]] as never)).toThrow('grad: inputs[0] must be a Tensor, got an array [1]');
    expect(() => grad(3 as never, p)).toThrow('grad: outputs must be a Tensor, got 3 (a number)');
    expect(() => gradcheck((a) => a, [[1]] as never)).toThrow('gradcheck: inputs[0] must be a Tensor, got an array [1]');
    expect(() => gradcheck((a) => a, [[1]] as never)).toThrow(ValueError);
  });
});

import { describe, expect, it } from 'vitest';
import {
  Tensor, conv2d, isTracing, manualSeed, matmul, randn, setTracer, traceComposite, type Tracer,
} from '@tapegrad/core';

/** A small network touching matmul (a composite), conv2d, relu, softmax and sum; returns the output and the gradients. */
function run(): { out: number[]; grads: number[][] } {
  manualSeed(3);
  const x = randn([2, 1, 5, 5], { dtype: 'float64' });
  const w = randn([3, 1, 3, 3], { dtype: 'float64', requiresGrad: true });
  const m = randn([27, 4], { dtype: 'float64', requiresGrad: true });
  const h = conv2d(x, w, null, { padding: 0 }).relu().reshape([2, 27]);
  const out = matmul(h, m).softmax(-1);
  out.mul(randn([2, 4], { dtype: 'float64' })).sum().backward();
  return { out: Array.from(out.data as Float64Array), grads: [w, m].map((t) => Array.from(t.grad!.data as Float64Array)) };
}

function recorder(takeComposites: boolean): Tracer & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    primitive: (name, args, out) => void log.push(`${name}(${args.filter((a) => a instanceof Tensor).length}) -> [${out.shape}]`),
    enterComposite: () => takeComposites,
    composite: (name, _args, out) => void log.push(`${name}* -> [${out.shape}]`),
  };
}

describe('setTracer', () => {
  it('leaves outputs and gradients bit for bit as they are without a tracer', () => {
    const plain = run();
    for (const take of [false, true]) {
      const prev = setTracer(recorder(take));
      let traced: ReturnType<typeof run>;
      try {
        traced = run();
      } finally {
        setTracer(prev);
      }
      expect(traced.out).toEqual(plain.out);
      expect(traced.grads).toEqual(plain.grads);
    }
  });

  it('reports every primitive with its tensor arguments and output, backward ops included', () => {
    const t = recorder(false);
    const prev = setTracer(t);
    try {
      const a = randn([2, 3], { requiresGrad: true });
      a.exp().sum().backward();
    } finally {
      setTracer(prev);
    }
    expect(t.log.slice(0, 2)).toEqual(['exp(1) -> [2,3]', 'sum(1) -> []']);
    expect(t.log.length).toBeGreaterThan(2); // the backward rules' ops are ops too
  });

  it('reports comparisons and logical ops, which are not primitives but make data-dependent masks', () => {
    const t = recorder(false);
    const prev = setTracer(t);
    try {
      const x = randn([2, 3]);
      x.gt(0).logicalAnd(x.lt(1));
    } finally {
      setTracer(prev);
    }
    expect(t.log.filter((l) => !l.startsWith('cast'))).toEqual(['gt(2) -> [2,3]', 'lt(2) -> [2,3]', 'logicalAnd(2) -> [2,3]']);
  });

  it('returns the tracer installed before and removes it with null', () => {
    expect(isTracing()).toBe(false);
    const t = recorder(false);
    expect(setTracer(t)).toBe(null);
    expect(isTracing()).toBe(true);
    expect(setTracer(null)).toBe(t);
    expect(isTracing()).toBe(false);
  });
});

describe('traceComposite', () => {
  it('reports matmul as one op when the tracer takes it, and its reshapes and bmm when not', () => {
    for (const take of [true, false]) {
      const t = recorder(take);
      const prev = setTracer(t);
      try {
        matmul(randn([4, 2, 3]), randn([3, 5]));
      } finally {
        setTracer(prev);
      }
      if (take) expect(t.log).toEqual(['matmul* -> [4,2,5]']);
      else expect(t.log).toEqual(['reshape(1) -> [1,8,3]', 'reshape(1) -> [1,3,5]', 'bmm(2) -> [1,8,5]', 'reshape(1) -> [4,2,5]']);
    }
  });

  it('offers argmax and argmin as composites (their indices depend on the data)', () => {
    const t = recorder(true);
    const prev = setTracer(t);
    try {
      randn([2, 3]).argmax(1);
      randn([2, 3]).argmin();
    } finally {
      setTracer(prev);
    }
    expect(t.log).toEqual(['argmax* -> [2]', 'argmin* -> []']);
  });

  it('restores the tracer when the composite throws', () => {
    const t = recorder(true);
    const prev = setTracer(t);
    try {
      expect(() => traceComposite('boom', [], () => { throw new Error('boom'); })).toThrow('boom');
      expect(isTracing()).toBe(true);
      randn([2]).exp();
    } finally {
      setTracer(prev);
    }
    expect(t.log).toEqual(['exp(1) -> [2]']);
  });

  it('is a plain call without a tracer', () => {
    expect(traceComposite('double', [randn([2])], (x) => x.mul(2)).shape).toEqual([2]);
  });
});

import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, ones, full, noGrad, ValueError, ShapeError, manualSeed } from '@tapegrad/core';
import {
  Module, Parameter, Sequential, ModuleList, ModuleDict, Linear, ReLU, Conv2d, BatchNorm1d, BatchNorm2d,
  Dropout, Flatten, MaxPool2d, Embedding, Identity, Tanh,
} from '@tapegrad/nn';

class Block extends Module {
  conv = new Conv2d(3, 4, 3);
  bn = new BatchNorm2d(4);
  act = new ReLU();
  forward(x: Tensor): Tensor {
    return this.act.call(this.bn.call(this.conv.call(x)));
  }
}

class Net extends Module {
  scale = new Parameter(ones([1]));
  block = new Block();
  plain = tensor([1, 2]); // a plain tensor field is not state
  heads = new ModuleList([new Linear(4, 2), new Linear(2, 1, { bias: false })]);
  notRegistered = [new Linear(3, 3)]; // arrays are not searched
  forward(x: Tensor): Tensor {
    return x;
  }
}

describe('Parameter', () => {
  it('shares the storage of the tensor it wraps and requires grad', () => {
    const t = tensor([1, 2, 3]);
    const p = new Parameter(t);
    expect(p).toBeInstanceOf(Tensor);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(p.storage).toBe(t.storage);
    noGrad(() => p.fill_(5));
    expect(t.toArray()).toEqual([5, 5, 5]);
  });

  it('can be created without requiring grad, and prints as a parameter', () => {
    const p = new Parameter(zeros([2]), false);
    expect(p.requiresGrad).toBe(false);
    expect(p.toString()).toMatch(/^Parameter containing:\ntensor\(/);
  });
});

describe('Module', () => {
  it('finds parameters of nested modules with PyTorch state_dict names in declaration order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'block.conv.weight',
      'block.conv.bias',
      'block.bn.weight',
      'block.bn.bias',
      'heads.0.weight',
      'heads.0.bias',
      'heads.1.weight',
    ]);
    expect(net.parameters()[1]).toBe(net.block.conv.weight);
    expect(net.numParameters()).toBe(1 + 4 * 3 * 9 + 4 + 4 + 4 + 8 + 2 + 2);
  });

  it('lists children and modules depth first', () => {
    const net = new Net();
    expect(net.namedChildren().map(([n]) => n)).toEqual(['block', 'heads']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'block', 'block.conv', 'block.bn', 'block.act', 'heads', 'heads.0', 'heads.1']);
    expect(net.modules()[0]).toBe(net);
    expect(net.getSubmodule('heads.1')).toBe(net.heads.get(1));
    expect(() => net.getSubmodule('block.nope')).toThrow(/getSubmodule: Block has no sub-module "nope"/);
  });

  it('names Sequential children 0, 1, ... like PyTorch', () => {
    const model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const named = new Sequential(new Map<string, Module>([['fc', new Linear(2, 2)], ['act', new Tanh()]]));
    expect(named.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
  });

  it('counts a shared parameter or module once', () => {
    const shared = new Linear(2, 2);
    const model = new Sequential(shared, new ReLU(), shared);
    expect(model.parameters().length).toBe(2);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('includes persistent buffers in the state dict, with PyTorch BatchNorm key names', () => {
    const model = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
    expect(Object.keys(model.stateDict())).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
    ]);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    const sd = model.stateDict();
    expect(sd['0.weight']!.requiresGrad).toBe(false);
    expect(sd['1.num_batches_tracked']!.dtype).toBe('int32');
    expect(sd['1.num_batches_tracked']!.shape).toEqual([]);
  });

  it('keeps non-persistent buffers out of the state dict', () => {
    class WithMask extends Module {
      constructor() {
        super();
        this.registerBuffer('mask', ones([3]), { persistent: false });
        this.registerBuffer('stat', zeros([2]));
      }
      forward(x: Tensor) {
        return x.mul(this.getBuffer('mask')!);
      }
    }
    const m = new WithMask();
    expect(Object.keys(m.stateDict())).toEqual(['stat']);
    expect(m.buffers().length).toBe(2);
    expect((m as unknown as { mask: Tensor }).mask.shape).toEqual([3]);
    expect(() => m.registerBuffer('stat', zeros([1]))).toThrow(/registerBuffer: attribute "stat" already exists/);
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(/without "."/);
  });

  it('loads a state dict in place and makes outputs identical', () => {
    manualSeed(1);
    const a = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
    manualSeed(2);
    const b = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
    noGrad(() => a.get(1).getBuffer('running_mean')!.fill_(0.5));
    const w = b.get(0).parameters()[0]!;
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.get(0).parameters()[0]).toBe(w); // same Parameter object, new values
    expect(w.toArray()).toEqual(a.get(0).parameters()[0]!.toArray());
    expect(b.get(1).getBuffer('running_mean')!.toArray()).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('rejects missing and unexpected keys in strict mode, listing them all', () => {
    const model = new Sequential(new Linear(3, 4), new Linear(4, 2));
    const sd = model.stateDict();
    delete sd['1.bias'];
    sd['extra.weight'] = zeros([1]);
    let msg = '';
    try {
      model.loadStateDict(sd);
    } catch (e) {
      expect(e).toBeInstanceOf(ValueError);
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^loadStateDict: error\(s\) in loading the state dict for Sequential/);
    expect(msg).toContain('missing keys: "1.bias"');
    expect(msg).toContain('unexpected keys: "extra.weight"');
  });

  it('reports missing and unexpected keys without throwing when not strict', () => {
    const model = new Sequential(new Linear(3, 4));
    const res = model.loadStateDict({ '0.weight': ones([4, 3]), junk: ones([2]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ['0.bias'], unexpectedKeys: ['junk'] });
    expect(model.get(0).parameters()[0]!.toArray()).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  });

  it('names every shape mismatch, even when not strict, and copies nothing', () => {
    const model = new Sequential(new Linear(3, 4), new Linear(4, 2));
    const before = model.get(0).parameters()[0]!.toArray();
    const sd = { ...model.stateDict(), '0.weight': zeros([4, 5]), '1.bias': zeros([3]) };
    const load = () => model.loadStateDict(sd, { strict: false });
    expect(load).toThrow(ShapeError);
    expect(load).toThrow(/size mismatch for "0\.weight": copying a tensor of shape \[4,5\] into one of shape \[4,3\]/);
    expect(load).toThrow(/size mismatch for "1\.bias": copying a tensor of shape \[3\] into one of shape \[2\]/);
    expect(model.get(0).parameters()[0]!.toArray()).toEqual(before);
  });

  it('prints the module tree like PyTorch', () => {
    const model = new Sequential(new Linear(784, 512), new ReLU(), new Dropout(0.2), new Linear(512, 10, { bias: false }));
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(inFeatures=784, outFeatures=512, bias=true)',
        '  (1): ReLU()',
        '  (2): Dropout(p=0.2)',
        '  (3): Linear(inFeatures=512, outFeatures=10, bias=false)',
        ')',
      ].join('\n'),
    );
  });

  it('indents nested modules when printing', () => {
    const model = new Sequential(new Sequential(new Conv2d(1, 8, 3), new MaxPool2d(2)), new Flatten(), new BatchNorm1d(8));
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Sequential(',
        '    (0): Conv2d(1, 8, kernelSize=[3, 3], stride=[1, 1])',
        '    (1): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1)',
        '  )',
        '  (1): Flatten(startDim=1, endDim=-1)',
        '  (2): BatchNorm1d(8, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)',
        ')',
      ].join('\n'),
    );
  });

  it('switches training mode recursively and back', () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.block.bn.training).toBe(true);
  });

  it('applies a function to children before the parent', () => {
    const model = new Sequential(new Linear(2, 2), new Sequential(new ReLU()));
    const seen: string[] = [];
    model.apply((m) => seen.push(m.typeName()));
    expect(seen).toEqual(['Linear', 'ReLU', 'Sequential', 'Sequential']);
  });

  it('zeroes gradients to null by default and to zeros on request', () => {
    const lin = new Linear(2, 1);
    lin.weight.grad = ones([1, 2]);
    lin.zeroGrad({ setToNone: false });
    expect(lin.weight.grad!.toArray()).toEqual([[0, 0]]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    // a gradient recorded with createGraph is cut from its graph before it is zeroed
    lin.call(ones([1, 2])).pow(2).sum().backward(null, { createGraph: true });
    expect(lin.weight.grad!.requiresGrad).toBe(true);
    lin.zeroGrad({ setToNone: false });
    expect(lin.weight.grad!.requiresGrad).toBe(false);
    expect(lin.weight.grad!.toArray()).toEqual([[0, 0]]);
  });

  it('casts parameters and float buffers with to(), keeping shared parameters shared', () => {
    const shared = new Linear(2, 2);
    const model = new Sequential(shared, new BatchNorm1d(2), shared);
    const before = model.stateDict();
    model.to('float64');
    expect(model.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(model.parameters().length).toBe(4);
    expect(model.get(0)).toBe(model.get(2));
    const after = model.stateDict();
    expect(after['1.running_var']!.dtype).toBe('float64');
    expect(after['1.num_batches_tracked']!.dtype).toBe('int32');
    expect(after['0.weight']).toBeAllClose(before['0.weight']!);
    expect(() => model.to('int32')).toThrow(/to: a module can only be cast to float32 or float64/);
  });

  it('runs forward hooks and pre-hooks in call(), and removes them', () => {
    const lin = new Identity();
    const seen: number[][] = [];
    const remove = lin.registerForwardHook((_m, _a, out) => {
      seen.push((out as Tensor).shape);
    });
    const removePre = lin.registerForwardPreHook((_m, args) => [(args[0] as Tensor).mul(2)]);
    expect(lin.call(tensor([1, 2])).toArray()).toEqual([2, 4]);
    remove();
    removePre();
    expect(lin.call(tensor([1, 2])).toArray()).toEqual([1, 2]);
    expect(seen).toEqual([[2]]);
  });

  it('returns hook handles with remove(), as PyTorch\'s RemovableHandle; removing twice does nothing', () => {
    const lin = new Identity();
    const calls: string[] = [];
    const h1 = lin.registerForwardHook(() => void calls.push('a'));
    const h2 = lin.registerForwardHook(() => void calls.push('b'));
    const pre = lin.registerForwardPreHook(() => void calls.push('pre'));
    lin.call(tensor([1]));
    h1.remove();
    h1.remove();
    pre.remove();
    lin.call(tensor([1]));
    expect(calls).toEqual(['pre', 'a', 'b', 'b']);
    h2.remove();
    lin.call(tensor([1]));
    expect(calls.length).toBe(4);
    expect(() => lin.registerForwardHook(null as never)).toThrow('registerForwardHook: hook must be a function, got null');
  });

  it('registers parameters and modules by name; a module\'s own parameters come before its children\'s, as in PyTorch', () => {
    class Custom extends Module {
      a = new Linear(1, 1);
      constructor() {
        super();
        this.registerParameter('gain', new Parameter(full([1], 2)));
        this.registerModule('extra', new Embedding(3, 2));
      }
      forward(x: Tensor) {
        return x;
      }
    }
    const c = new Custom();
    expect(c.namedParameters().map(([n]) => n)).toEqual(['gain', 'a.weight', 'a.bias', 'extra.weight']);
    expect((c as unknown as { gain: Parameter }).gain.toArray()).toEqual([2]);
    expect(() => c.registerModule('a', new ReLU())).toThrow(/already exists/);
  });

  it('freezes parameters with requiresGrad_', () => {
    const lin = new Linear(2, 2).requiresGrad_(false);
    expect(lin.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(lin.numParameters({ trainableOnly: true })).toBe(0);
  });
});

describe('Sequential', () => {
  it('indexes, iterates and appends layers', () => {
    const relu = new ReLU();
    const s = new Sequential(new Linear(2, 2), relu);
    expect(s.length).toBe(2);
    expect(s.get(-1)).toBe(relu);
    expect([...s].length).toBe(2);
    s.append(new Tanh());
    expect(s.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(() => s.get(3)).toThrow(/Sequential.get: index 3 is out of range for 3 modules/);
  });

  it('rejects a layer that is not a Module', () => {
    expect(() => new Sequential(new ReLU(), {} as unknown as Module)).toThrow(/Sequential: layer "1" is not a Module \(got Object\)/);
    expect(() => new ModuleList([new ReLU()]).push(null as unknown as Module)).toThrow(/ModuleList.push: item 1 is not a Module \(got null\)/);
    expect(() => new ModuleDict().set('act', 3 as unknown as Module)).toThrow(/ModuleDict.set: "act" is not a Module \(got number\)/);
  });

  it('runs the layers in order', () => {
    const s = new Sequential(new Identity(), new ReLU(), new Flatten(0));
    expect(s.call(tensor([[-1, 2]])).toArray()).toEqual([0, 2]);
  });
});

describe('ModuleList', () => {
  it('registers its modules so their parameters are found', () => {
    const list = new ModuleList([new Linear(2, 2)]).push(new Linear(2, 1));
    expect(list.length).toBe(2);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(() => list.forward()).toThrow(/ModuleList: a ModuleList has no forward/);
  });
});

describe('ModuleDict', () => {
  it('keeps insertion order and replaces by key', () => {
    const d = new ModuleDict({ b: new Linear(1, 1), a: new ReLU() });
    expect(d.keys()).toEqual(['b', 'a']);
    const lin = new Linear(1, 2);
    d.set('a', lin);
    expect(d.get('a')).toBe(lin);
    expect(d.namedParameters().map(([n]) => n)).toEqual(['b.weight', 'b.bias', 'a.weight', 'a.bias']);
    expect(() => d.get('zz')).toThrow(/ModuleDict.get: no module "zz"; keys are b, a/);
    expect(() => d.set('keys', new ReLU())).toThrow(/attribute "keys" already exists/);
  });
});

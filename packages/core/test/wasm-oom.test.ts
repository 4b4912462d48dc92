import { describe, expect, it } from 'vitest';
import { TapegradError, getBackend, setBackend, matmul, ones, zeros } from '@tapegrad/core';
import { WasmRuntime, kernelModule, wasmRuntime, MAX_PAGES } from '../src/kernels/wasm/module.js';
import { OutOfMemoryError } from '../src/kernels/runtime-errors.js';

// these tests are about the wasm backend (on Node the default is native where its addon built)
setBackend('wasm');

// When the WebAssembly kernels' memory cannot grow, the error names the op and the sizes.

describe('wasm out of memory', () => {
  it('a product whose result passes the 2 GiB limit throws an OutOfMemoryError naming matmul, and the memory is untouched', () => {
    expect(getBackend()).toBe('wasm');
    const rt = wasmRuntime()!;
    const held = rt.memory.buffer.byteLength;
    // [30000, 1] times [1, 30000]: tiny operands (broadcast views), a 3.6 GB result
    const a = zeros([1, 1]).expand([30000, 1]);
    const b = zeros([1, 1]).expand([1, 30000]);
    let caught: unknown;
    try {
      matmul(a, b);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OutOfMemoryError);
    expect(caught).toBeInstanceOf(TapegradError);
    const e = caught as OutOfMemoryError;
    expect(e.name).toBe('OutOfMemoryError');
    expect(e.op).toBe('matmul');
    expect(e.bytes).toBe(30000 * 30000 * 4);
    expect(e.message).toMatch(
      /^matmul: the WebAssembly kernels need 3600000000 bytes \(3\.4 GiB\) more, which would grow their memory from \d+ MiB to 3\.\d GiB, past its limit of 2\.0 GiB; use smaller batches or tensors$/,
    );
    expect(rt.memory.buffer.byteLength).toBe(held);
    // the runtime is still usable
    expect(Array.from(matmul(ones([70, 80]), ones([80, 90])).data.subarray(0, 3))).toEqual([80, 80, 80]);
  });

  it('a direct allocation past the limit names the runtime until an op does', () => {
    const rt = wasmRuntime()!;
    const mark = rt.mark();
    expect(() => rt.alloc(MAX_PAGES * 65536)).toThrow(/^wasm: the WebAssembly kernels need 2147483648 bytes \(2\.0 GiB\) more/);
    expect(rt.mark()).toBe(mark);
  });

  it('an engine that refuses to grow the memory within the limit gives an OutOfMemoryError with its reason', () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
    const rt = new WasmRuntime(kernelModule(false, false), memory, false);
    memory.grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Unable to grow instance memory');
    };
    let caught: unknown;
    try {
      rt.alloc(100 * 2 ** 20);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OutOfMemoryError);
    expect((caught as Error).message).toMatch(
      /^wasm: the WebAssembly kernels need 104857600 bytes \(100 MiB\) more, which would grow their memory from 1 MiB to 10\d MiB, and the engine refused: RangeError: WebAssembly\.Memory\.grow\(\): Unable to grow instance memory; use smaller batches or tensors$/,
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Tensor } from '@tapegrad/core';
import ort from 'onnxruntime-node';

/** Every model this test file ran in ONNX Runtime (each test file has its own module instance). */
const ranModels = new Set<Uint8Array>();

const ORT_TYPE = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const;

/** Runs ONNX bytes in ONNX Runtime for Node on named tapegrad inputs; returns the outputs as tapegrad tensors. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  ranModels.add(bytes);
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) {
    const c = t.contiguous();
    inputs[k] = new ort.Tensor(ORT_TYPE[t.dtype], (c.data as Float32Array).slice(0, c.numel()), t.shape);
  }
  const res = await session.run(inputs);
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(res)) {
    const dtype = v.type === 'float64' ? 'float64' : v.type === 'int32' ? 'int32' : v.type === 'bool' ? 'bool' : 'float32';
    out[k] = Tensor.fromData(v.data as Float32Array, [...v.dims], dtype);
  }
  await session.release();
  return out;
}

/** The largest |a - b| over two tensors of one shape. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`maxAbsDiff: shapes [${a.shape}] and [${b.shape}] differ`);
  const x = a.contiguous().data as Float32Array, y = b.contiguous().data as Float32Array;
  let m = 0;
  for (let i = 0; i < a.numel(); i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** The python whose `onnx` module checks the models (TAPEGRAD_ONNX_PYTHON overrides it). */
const PYTHON = process.env.TAPEGRAD_ONNX_PYTHON ?? '/usr/bin/python3';

/** Why ONNX's own checker cannot run here, or undefined when `import onnx` works. */
function onnxUnavailable(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import onnx'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return `${PYTHON} -c "import onnx" fails (install python3-onnx to run ONNX's checker)`;
  }
}

const CHECK_SCRIPT = `
import sys, onnx
bad = []
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    except Exception as e:
        bad.append(path.rsplit('/', 1)[-1] + ': ' + str(e).strip().splitlines()[0])
print('\\n'.join(bad))
`;

/**
 * Registers, at the end of a test file, a test that runs `onnx.checker.check_model(model,
 * full_check=True)` (one python call) on every model the file's tests ran in ONNX Runtime; it is
 * skipped, with the reason in its name, where python3-onnx is not installed (as in CI).
 */
export function onnxCheckerTest(): void {
  const reason = onnxUnavailable();
  if (reason !== undefined) console.warn(`onnxCheckerTest: skipped, ${reason}`);
  const name = "ONNX's checker (onnx.checker.check_model, full_check) passes every model this file ran in ONNX Runtime";
  it.skipIf(reason !== undefined)(reason === undefined ? name : `${name} [skipped: ${reason}]`, () => {
    expect(ranModels.size).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'tapegrad-onnx-check-'));
    try {
      const paths = [...ranModels].map((bytes, i) => {
        const p = join(dir, `model_${i}.onnx`);
        writeFileSync(p, bytes);
        return p;
      });
      const out = execFileSync(PYTHON, ['-c', CHECK_SCRIPT, ...paths], { encoding: 'utf8' }).trim();
      expect(out === '' ? [] : out.split('\n')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

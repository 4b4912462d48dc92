// Benchmark (not a test): (a) loading the 60,000 MNIST training images, (b) one shuffled epoch of
// a DataLoader over them in batches of 128. Run from the repository root:
//
//   npx tsc -b packages/core && npx tsx packages/datasets/bench/load-mnist.ts
//
// (tsx resolves @tapegrad/core through its package.json to packages/core/dist), or against the
// core sources without building:
//
//   npx tsx --tsconfig test/tsconfig.json packages/datasets/bench/load-mnist.ts
import os from 'node:os';
import { Generator } from '@tapegrad/core';
import { DataLoader, TensorDataset, loadMnist } from '../src/index.js';

const ms = (t0: number) => performance.now() - t0;
// CPU time of this process (all threads, user + system), in ms: on a loaded machine the wall time
// includes waiting for a core, the CPU time does not.
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 3);

  // (a) loadMnist train: read both files, check them, scale the bytes to float32 [0, 1].
  const loadTimes: number[] = [];
  const loadCpu: number[] = [];
  let data = await loadMnist({ split: 'train' });
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    data = await loadMnist({ split: 'train' });
    loadTimes.push(ms(t0));
    loadCpu.push(cpuMs(c0));
  }
  const { images, labels } = data;
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`loadMnist({ split: 'train' }): images ${JSON.stringify(images.shape)} ${images.dtype}, labels ${JSON.stringify(labels.shape)} ${labels.dtype}`);
  console.log(`  load time: median ${median(loadTimes).toFixed(1)} ms wall, ${median(loadCpu).toFixed(1)} ms CPU over ${repeats} runs (a first warm-up run not counted) [${loadTimes.map((t) => t.toFixed(1)).join(', ')}]`);

  // (b) one shuffled epoch of batches of 128: a permutation plus one row gather per batch.
  const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 128, shuffle: true, generator: new Generator(0) });
  const epochTimes: number[] = [];
  const epochCpu: number[] = [];
  let checksum = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let batches = 0;
    for (const [xb, yb] of loader) {
      batches++;
      checksum += xb.data[0]! + yb.data[0]!; // touch the batch so nothing is optimized away
    }
    epochTimes.push(ms(t0));
    epochCpu.push(cpuMs(c0));
    if (batches !== loader.length) throw new Error(`expected ${loader.length} batches, got ${batches}`);
  }
  console.log(`DataLoader epoch (60,000 images [1,28,28], batchSize 128, shuffle): ${loader.length} batches`);
  console.log(`  epoch time: median ${median(epochTimes).toFixed(1)} ms wall, ${median(epochCpu).toFixed(1)} ms CPU over ${repeats} epochs [${epochTimes.map((t) => t.toFixed(1)).join(', ')}] (checksum ${checksum.toFixed(2)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

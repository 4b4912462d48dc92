import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExampleArgs } from '../src/util.js';

/** Runs an example's main with its printed lines captured and pictures written to a temp folder. */
export async function runExample<R extends Record<string, unknown>>(
  main: (args: ExampleArgs) => Promise<Record<string, unknown>>,
  args: ExampleArgs = {},
): Promise<{ result: R; lines: string[]; text: string; out: string }> {
  const lines: string[] = [];
  const out = mkdtempSync(join(tmpdir(), 'tapegrad-examples-'));
  const result = (await main({ ...args, out, log: (line) => lines.push(line) })) as R;
  return { result, lines, text: lines.join('\n'), out };
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Iris rows (float64, exact one-decimal values) of the given classes and feature columns. */
export function irisRows(all: number[][], classes: number[], cols: number[]): { x: number[][]; k: number[] } {
  const x: number[][] = [];
  const k: number[] = [];
  all.forEach((row, i) => {
    const c = Math.floor(i / 50);
    if (classes.includes(c)) {
      x.push(cols.map((j) => Math.round(row[j]! * 10) / 10));
      k.push(classes.indexOf(c));
    }
  });
  return { x, k };
}

/** Per-column mean and population standard deviation, and the standardised rows. */
export function standardizeRows(x: number[][]): number[][] {
  const d = x[0]!.length;
  const n = x.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n));
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
}

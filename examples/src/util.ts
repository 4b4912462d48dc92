// Small helpers shared by the examples: arguments, number formatting, timing, the output folder.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tensor, type Tensor } from '@tapegrad/core';
import { saveSvg } from '@tapegrad/train';

/** What every example's `main` accepts. */
export interface ExampleArgs {
  /** Run a small, fast version (a subset of the data, fewer epochs): what the tests use. */
  quick?: boolean;
  /** Folder for the SVG pictures (default: examples/out). */
  out?: string;
  /** Where printed lines go (default console.log); tests pass a collector. */
  log?: (line: string) => void;
  /** Override the number of epochs (MNIST examples). */
  epochs?: number;
}

/** The shape of every example module. */
export interface ExampleModule {
  main(args: ExampleArgs): Promise<Record<string, unknown>>;
}

/** The examples' default picture folder, examples/out. */
export function outDir(args: ExampleArgs): string {
  return args.out ?? fileURLToPath(new URL('../out', import.meta.url));
}

/** Path of picture `<example>-<what>.svg` in the output folder. */
export function outPath(args: ExampleArgs, example: string, what: string): string {
  return join(outDir(args), `${example}-${what}.svg`);
}

/** The printing function of an example run. */
export function logger(args: ExampleArgs): (line: string) => void {
  return args.log ?? ((line: string) => console.log(line));
}

/** A number with `d` decimals. */
export function fmt(x: number, d = 4): string {
  return x.toFixed(d);
}

/** A list of numbers, `[0.1000, -0.2000]`. */
export function fmtList(xs: ArrayLike<number>, d = 4): string {
  return `[${Array.from(xs, (x) => x.toFixed(d)).join(', ')}]`;
}

/** Seconds elapsed since `start` (from performance.now()). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * Iris measurements as float64 with their exact one-decimal values (loadIris gives float32, whose
 * 5.1 is 5.0999999...; the lectures compute in float64 from the CSV's decimals).
 */
export function irisFloat64(features: Tensor): Tensor {
  return tensor(Array.from(features.data, (v) => Math.round(v * 10) / 10), { dtype: 'float64', shape: features.shape });
}

/** Writes an SVG picture to `<out>/<example>-<what>.svg` and prints where it went. */
export function savePicture(args: ExampleArgs, example: string, what: string, svg: string): string {
  const path = saveSvg(svg, outPath(args, example, what));
  logger(args)(`picture: ${path}`);
  return path;
}

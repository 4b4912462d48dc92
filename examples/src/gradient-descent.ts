// Steepest descent on f(x, y) = x² + y² from (1, 1), the notes' first gradient-descent picture.
//
//   ∇f = (2x, 2y),   (x, y) <- (x, y) − η ∇f(x, y) = (1 − 2η) (x, y)
// The notes' step takes (1, 1) to (0.5, 0.5) and f from 2 to 0.5, which is η = 0.25. Beside it a
// rate that is too small (η = 0.02: after 10 steps still f ≈ 0.87) and one that is too large
// (η = 1.05: every step overshoots the minimum, |1 − 2η| = 1.1 > 1, and f grows). The gradient
// at every point comes from autograd; the paths are drawn over contour lines of f (SVG).
import { noGrad, tensor } from '@tapegrad/core';
import { escapeXml } from '@tapegrad/train';
import { fmt, logger, savePicture, type ExampleArgs } from './util.js';

/** The learning rates shown: the notes' step, one too small, one too large. */
export const RATES = [
  { eta: 0.25, label: 'η = 0.25 (the notes\' step)' },
  { eta: 0.02, label: 'η = 0.02 (too small)' },
  { eta: 1.05, label: 'η = 1.05 (too large)' },
] as const;

/** One point of a descent path: position, f there, and ∇f there (by autograd). */
export interface PathPoint {
  x: number;
  y: number;
  f: number;
  grad: [number, number];
}

/** `steps` steps of gradient descent on x² + y² from `start`; the gradient of each point by autograd. */
export function descend(eta: number, steps: number, start: [number, number] = [1, 1]): PathPoint[] {
  const p = tensor(start, { dtype: 'float64', requiresGrad: true });
  const path: PathPoint[] = [];
  for (let k = 0; k <= steps; k++) {
    p.grad = null;
    const f = p.square().sum();
    f.backward();
    const [x, y] = Array.from(p.data) as [number, number];
    path.push({ x, y, f: f.item(), grad: Array.from(p.grad!.data) as [number, number] });
    if (k < steps) noGrad(() => p.sub_(p.grad!.mul(eta)));
  }
  return path;
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const steps = 10;
  log('Gradient descent on f(x, y) = x² + y² from (1, 1); ∇f by autograd');
  const first = descend(0.25, 1);
  log(`  f(1, 1) = ${first[0]!.f}, ∇f(1, 1) = (${first[0]!.grad.join(', ')})`);
  log(`  one step with η = 0.25: (1, 1) − 0.25·(2, 2) = (${first[1]!.x}, ${first[1]!.y}), f = ${first[1]!.f}`);

  const paths: Record<string, PathPoint[]> = {};
  for (const { eta, label } of RATES) {
    const path = descend(eta, steps);
    paths[String(eta)] = path;
    log('');
    log(`${label}: each step multiplies (x, y) by 1 − 2η = ${fmt(1 - 2 * eta, 2)}`);
    log('  step        x           y           f(x, y)');
    path.forEach((pt, k) => log(`  ${String(k).padStart(4)}  ${fmt(pt.x, 6).padStart(10)}  ${fmt(pt.y, 6).padStart(10)}  ${fmt(pt.f, 6).padStart(12)}`));
  }
  savePicture(args, 'gradient-descent', 'paths', contourPicture(paths));
  return { firstStep: first[1], paths };
}

/** One panel per rate: its path over the contour lines f = 0.125, 0.5, 1, 2, 4 (circles), in [−2.5, 2.5]². */
function contourPicture(paths: Record<string, PathPoint[]>): string {
  const panel = 340;
  const margin = 40;
  const lim = 2.5;
  const scale = (panel - 2 * margin) / (2 * lim);
  const colors = ['#1f77b4', '#2ca02c', '#d62728'];
  const width = panel * RATES.length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${panel + 40}" viewBox="0 0 ${width} ${panel + 40}" font-family="Helvetica, Arial, sans-serif">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">Gradient descent on f(x, y) = x² + y² from (1, 1): 10 steps</text>`,
  ];
  RATES.forEach(({ eta, label }, i) => {
    const left = i * panel;
    const top = 40;
    const sx = (x: number) => (left + margin + (x + lim) * scale).toFixed(2);
    const sy = (y: number) => (top + panel - margin - (y + lim) * scale).toFixed(2);
    const c = colors[i]!;
    const box = `x="${left + margin}" y="${top + margin}" width="${panel - 2 * margin}" height="${panel - 2 * margin}"`;
    out.push(`<clipPath id="panel${i}"><rect ${box}/></clipPath>`, `<rect ${box} fill="none" stroke="#333"/>`);
    out.push(`<text x="${left + panel / 2}" y="${top + margin - 10}" text-anchor="middle" font-size="13" fill="${c}">${escapeXml(label)}</text>`);
    for (const t of [-2, -1, 0, 1, 2]) {
      out.push(`<text x="${sx(t)}" y="${top + panel - margin + 14}" text-anchor="middle" font-size="10">${t}</text>`);
      out.push(`<text x="${left + margin - 6}" y="${sy(t)}" dy="0.32em" text-anchor="end" font-size="10">${t}</text>`);
    }
    out.push(`<text x="${left + panel / 2}" y="${top + panel - margin + 28}" text-anchor="middle" font-size="12">x</text>`);
    out.push(`<text x="${left + 10}" y="${top + panel / 2}" text-anchor="middle" font-size="12">y</text>`);
    out.push(`<g clip-path="url(#panel${i})">`);
    for (const level of [0.125, 0.5, 1, 2, 4]) {
      const r = Math.sqrt(level);
      out.push(`<circle cx="${sx(0)}" cy="${sy(0)}" r="${(r * scale).toFixed(2)}" fill="none" stroke="#bbb"/>`);
      out.push(`<text x="${sx(r * Math.SQRT1_2)}" y="${sy(-r * Math.SQRT1_2)}" font-size="9" fill="#888">f = ${level}</text>`);
    }
    const path = paths[String(eta)]!;
    out.push(`<path d="${path.map((p, k) => `${k ? 'L' : 'M'}${sx(p.x)} ${sy(p.y)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="1.5"/>`);
    for (const p of path) out.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${c}"/>`);
    out.push('</g>');
  });
  out.push('</svg>', '');
  return out.join('\n');
}

// Runs tapegrad in a real browser: bundles test/browser/entry.ts with esbuild (see
// test/browser/bundle.ts), serves it from a local HTTP server and opens it in headless Chromium
// (playwright-core drives a Chromium that is already installed; it downloads nothing), twice:
// - cross-origin isolated (COOP/COEP headers): shared wasm memory and a Web Worker pool;
// - not isolated: no SharedArrayBuffer, the single-threaded wasm build.
// Prints each check and exits 1 if any fails.
//
//   pnpm browser-check [-- --chromium=/path/to/chromium]
//
// Chromium: $CHROMIUM, --chromium=..., or the first of /usr/bin/chromium, /usr/bin/chromium-browser,
// /usr/bin/google-chrome (on Debian: apt-get install chromium).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { bundleBrowserCheck } from '../test/browser/bundle.js';

const arg = process.argv.find((a) => a.startsWith('--chromium='))?.slice('--chromium='.length);
const candidates = [arg, process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = candidates.find((p) => p && existsSync(p));
if (!executablePath) {
  console.error('browser-check: no Chromium found; install one (Debian: apt-get install chromium) or pass --chromium=PATH');
  process.exit(2);
}

const bundle = await bundleBrowserCheck();
for (const m of [...bundle.errors, ...bundle.warnings]) console.error(`browser-check: bundling: ${m.text}`);
if (bundle.errors.length > 0) process.exit(1);
const js = bundle.outputFiles[0]!.text;
const html = '<!doctype html><meta charset="utf-8"><title>tapegrad browser check</title><script type="module" src="/entry.js"></script>';

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const isolated = url.startsWith('/isolated/');
  const path = url.replace(/^\/(isolated|plain)/, '');
  const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  if (path === '/' || path === '/index.html') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
  else if (path === '/entry.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(js);
  else res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
let failed = 0;
try {
  console.log(`browser-check: ${browser.version()} (${executablePath}), bundle ${(js.length / 1024).toFixed(0)} KB`);
  for (const mode of ['isolated', 'plain']) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/${mode}/`);
    await page.waitForFunction(() => (globalThis as unknown as { __tapegrad?: unknown }).__tapegrad !== undefined, null, { timeout: 120_000 });
    const r = (await page.evaluate(() => (globalThis as unknown as { __tapegrad?: unknown }).__tapegrad)) as {
      error?: string; isolated: boolean; cores: number; checks: Array<{ name: string; ok: boolean; detail: string }>;
    };
    console.log(`\n${mode === 'isolated' ? 'cross-origin isolated page' : 'page without isolation'}:`);
    if (r.error) {
      console.log(`  FAIL  the page threw: ${r.error}`);
      failed++;
    } else {
      console.log(`  crossOriginIsolated ${r.isolated}, hardwareConcurrency ${r.cores}`);
      for (const c of r.checks) {
        console.log(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
        if (!c.ok) failed++;
      }
    }
    for (const e of errors) {
      console.log(`  FAIL  page error: ${e}`);
      failed++;
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? `\nbrowser-check: ${failed} check(s) failed` : '\nbrowser-check: all checks passed');
process.exit(failed ? 1 : 0);

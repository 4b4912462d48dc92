// Runs tapegrad in a real browser: bundles test/browser/entry.ts with esbuild (see
// test/browser/bundle.ts), serves it from a local HTTP server and opens it in headless Chromium
// (playwright-core drives a Chromium that is already installed; it downloads nothing), twice:
// - cross-origin isolated (COOP/COEP headers): shared wasm memory and a Web Worker pool;
// - not isolated: no SharedArrayBuffer, the single-threaded wasm build;
// and test/browser/csp-entry.ts under a Content-Security-Policy without 'unsafe-eval' three
// times: with 'wasm-unsafe-eval' (as a browser extension's pages), the same cross-origin isolated,
// and with no WebAssembly compilation allowed at all (core must fall back to its js backend).
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
import { bundleBrowserCheck, bundleCspCheck } from '../test/browser/bundle.js';

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
const cspBundle = await bundleCspCheck();
for (const m of [...cspBundle.errors, ...cspBundle.warnings]) console.error(`browser-check: bundling the CSP check: ${m.text}`);
if (cspBundle.errors.length > 0) process.exit(1);
const cspJs = cspBundle.outputFiles[0]!.text;

/** The strict-CSP pages: their policy, whether WebAssembly may compile, whether cross-origin isolated. */
const cspPages: Record<string, { policy: string; wasm: boolean; isolated: boolean }> = {
  'csp-wasm': { policy: "script-src 'self' 'wasm-unsafe-eval'", wasm: true, isolated: false },
  'csp-wasm-isolated': { policy: "script-src 'self' 'wasm-unsafe-eval'", wasm: true, isolated: true },
  'csp-nowasm': { policy: "script-src 'self'", wasm: false, isolated: false },
};
const cspHtml = '<!doctype html><meta charset="utf-8"><title>tapegrad strict CSP check</title><script type="module" src="loader.js"></script>';
// Imports the checks dynamically, so that an error while core loads (an EvalError) is caught and
// reported; records the policy violations the page saw (their events arrive asynchronously).
const cspLoader = (wasm: boolean) => `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective + ' refused ' + (e.blockedURI || e.sample)));
let result;
try {
  const m = await import('./csp-entry.js');
  result = { ...m.cspChecks(${wasm}), refusal: m.wasmRefusal() };
} catch (e) {
  result = { error: e instanceof Error ? e.name + ': ' + e.message + '\\n' + e.stack : String(e) };
}
await new Promise((r) => setTimeout(r, 200));
globalThis.__tapegrad = { ...result, isolated: globalThis.crossOriginIsolated === true, violations };
`;

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const csp = cspPages[url.split('/')[1]!];
  if (csp) {
    const headers: Record<string, string> = { 'Content-Security-Policy': csp.policy, ...(csp.isolated ? isolation : {}) };
    const path = url.slice(url.indexOf('/', 1));
    if (path === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(cspHtml);
    else if (path === '/loader.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(cspLoader(csp.wasm));
    else if (path === '/csp-entry.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(cspJs);
    else res.writeHead(404).end();
    return;
  }
  const isolated = url.startsWith('/isolated/');
  const path = url.replace(/^\/(isolated|plain)/, '');
  const headers: Record<string, string> = isolated ? isolation : {};
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
  for (const [mode, csp] of Object.entries(cspPages)) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/${mode}/`);
    await page.waitForFunction(() => (globalThis as unknown as { __tapegrad?: unknown }).__tapegrad !== undefined, null, { timeout: 120_000 });
    const r = (await page.evaluate(() => (globalThis as unknown as { __tapegrad?: unknown }).__tapegrad)) as {
      error?: string; isolated: boolean; refusal?: string; violations: string[]; checks?: Array<{ name: string; ok: boolean; detail: string }>;
    };
    console.log(`\nContent-Security-Policy: ${csp.policy}${csp.isolated ? ', cross-origin isolated' : ''}:`);
    const line = (ok: boolean, text: string) => {
      console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${text}`);
      if (!ok) failed++;
    };
    if (r.error) line(false, `loading or running core threw: ${r.error}`);
    else {
      line(r.isolated === csp.isolated, `crossOriginIsolated ${r.isolated}`);
      line(csp.wasm === (r.refusal === 'compiles'), `the page compiling WebAssembly itself: ${r.refusal}`);
      for (const c of r.checks!) line(c.ok, `${c.name}: ${c.detail}`);
    }
    // Refusing WebAssembly is expected where the policy forbids it; refusing eval never is. On an
    // isolated page the wasm backend's worker pool, started from a blob: URL, is refused too
    // (worker-src falls back to script-src): the kernels then run on the calling thread alone.
    const known = (v: string) => (!csp.wasm && /refused wasm-eval$/.test(v)) || (csp.isolated && /^worker-src refused blob/.test(v));
    const unexpected = r.violations.filter((v) => !known(v));
    line(unexpected.length === 0, `unexpected policy violations: ${unexpected.length === 0 ? 'none' : unexpected.join('; ')}`);
    const expected = r.violations.filter(known);
    if (expected.length > 0) console.log(`  note  expected policy violations: ${expected.join('; ')}`);
    for (const e of errors) line(false, `page error: ${e}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? `\nbrowser-check: ${failed} check(s) failed` : '\nbrowser-check: all checks passed');
process.exit(failed ? 1 : 0);

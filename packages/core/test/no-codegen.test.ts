import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundleCspCheck } from '../../../test/browser/bundle.js';
import type { CspResult } from '../../../test/browser/csp-entry.js';

// Pages with a Content-Security-Policy without 'unsafe-eval' (browser extensions, many
// production sites) refuse `eval` and `new Function`; without 'wasm-unsafe-eval' they refuse to
// compile WebAssembly too. A Node vm context with codeGeneration { strings: false } refuses the
// former the same way (EvalError), and with { wasm: false } the latter (CompileError). The
// browser bundle of core, nn and optim (test/browser/csp-entry.ts) must load and compute right
// in both; the same checks run in Chromium under real policies with `pnpm browser-check`.

/** Runs the CSP bundle in a fresh context with only the globals a page has that core uses. */
async function runChecks(wasm: boolean): Promise<{ result: CspResult; refusal: string }> {
  const built = await bundleCspCheck('tapegradCsp');
  expect(built.errors).toEqual([]);
  const code = built.outputFiles[0]!.text;
  const context = createContext(
    { console, atob, setTimeout, clearTimeout, TextDecoder, TextEncoder, performance },
    { codeGeneration: { strings: false, wasm } },
  );
  runInContext(code, context);
  const result = runInContext(`tapegradCsp.cspChecks(${wasm})`, context) as CspResult;
  const refusal = runInContext('tapegradCsp.wasmRefusal()', context) as string;
  return { result, refusal };
}

const failures = (r: CspResult) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

describe('core without code generation', () => {
  it('the browser bundle of core, nn and optim has no eval or Function constructor call', async () => {
    const built = await bundleCspCheck();
    const code = built.outputFiles[0]!.text;
    // a call of eval (not the definition of a method eval() { ... }) or of Function / new Function
    const calls = code.match(/(?<![\w$.])(eval\s*\((?!\s*\)\s*\{)|(new\s+)?Function\s*(\(|\.(apply|call)\s*\())/g) ?? [];
    expect(calls).toEqual([]);
  });

  it('loads, runs ops and trains on wasm and js where eval is refused (as under script-src \'self\' \'wasm-unsafe-eval\')', async () => {
    const { result, refusal } = await runChecks(true);
    expect(refusal).toBe('compiles');
    expect(result.backend).toBe('wasm');
    expect(failures(result)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(10);
  });

  it('falls back to the js backend where WebAssembly may not be compiled either (script-src \'self\')', async () => {
    const { result, refusal } = await runChecks(false);
    expect(refusal).toMatch(/^CompileError: .*disallowed/);
    expect([result.backend, result.capability]).toEqual(['js', 'none']);
    expect(failures(result)).toEqual([]);
  });
});

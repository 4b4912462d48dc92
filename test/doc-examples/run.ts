/**
 * Turns a doc-comment example into runnable JavaScript and compares its shown results.
 *
 * Checked results. A top-level expression statement whose line ends in a `//` comment that is a
 * literal is checked: the expression's value must equal the literal. The comment is a literal when
 * it parses, as a whole, to a JS literal built only of numbers (also `NaN`, `Infinity`, a leading
 * `-`), strings, booleans, `null`, `undefined`, arrays and plain objects, optionally followed by a
 * remark in parentheses after a space: `// 3 (the flat index of the first 7)`. A comment that
 * starts with `tensor(` is a printed tensor: it must equal `String(value)` exactly. Anything else
 * is prose and is not checked (`// e.g. [2, 0, 3, 1]`, `// [150, 4], [150]`, `// shape [4, 2]`).
 * For `console.log(v); // literal` the logged value `v` is checked. Comments after declarations
 * (`const y = f(x); // ...`) and inside blocks are never checked.
 *
 * Comparison: numbers are equal within max(1e-6 * max(|expected|, 1), one unit in the last printed
 * decimal place), so `// 0.7311` stands for 0.7310586 and `// 21` for 21 +- 2.1e-5; a number in
 * scientific notation drops the floor of 1 (`// 1e-10` means 1e-10 +- 1e-16); NaN equals NaN;
 * arrays and objects compare element by element, key by key (same keys); typed arrays compare as
 * arrays. A Tensor is never compared with a literal: show `.toArray()`, `.item()` or `.shape`.
 */
import ts from 'typescript';
import { Tensor } from '@tapegrad/core';

/** A shown result found in an example. */
export interface Expectation {
  /** Index into the example's code lines (0-based) of the statement's last line. */
  codeLine: number;
  /** The comment text that holds the literal. */
  comment: string;
  /** The parsed literal. */
  expected: unknown;
  /** How each number was printed, in literal order (for the tolerance). */
  decimals: Printed[];
}

/** An example ready to run: its JavaScript (an async function body) and what it shows. */
export interface PreparedExample {
  js: string;
  expectations: Expectation[];
  /** Transpile (syntax) errors, formatted. */
  errors: string[];
}

/** Name of the function the rewritten code calls with each checked value. */
export const CHECK = '__docCheck';
/** Name of the function the rewritten imports call. */
export const IMPORT = '__docImport';

/** How a number was printed: one unit in its last decimal place (0 for an integer), scientific or not. */
export interface Printed {
  ulp: number;
  scientific: boolean;
}

type LiteralResult = { ok: true; value: unknown; decimals: Printed[] } | { ok: false };

/** A comment showing a printed tensor, compared with `String(value)`. */
export class PrintedTensor {
  constructor(readonly text: string) {}
}

/** Evaluates a literal expression node, or reports that it is not a pure literal. */
function literalValue(node: ts.Expression, decimals: Printed[]): { ok: boolean; value?: unknown } {
  if (ts.isParenthesizedExpression(node)) return literalValue(node.expression, decimals);
  if (ts.isNumericLiteral(node)) {
    const raw = node.getText();
    const frac = /\.(\d+)/.exec(raw);
    const exp = /e([+-]?\d+)$/i.exec(raw);
    const e = exp ? Number(exp[1]) : 0;
    decimals.push({ ulp: frac ? 10 ** (e - frac[1]!.length) : 0, scientific: !!exp });
    return { ok: true, value: Number(node.text) };
  }
  if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
    const r = literalValue(node.operand, decimals);
    if (!r.ok || typeof r.value !== 'number') return { ok: false };
    return { ok: true, value: node.operator === ts.SyntaxKind.MinusToken ? -r.value : r.value };
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { ok: true, value: node.text };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { ok: true, value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { ok: true, value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { ok: true, value: null };
  if (ts.isIdentifier(node)) {
    if (node.text === 'NaN') return { ok: true, value: NaN };
    if (node.text === 'Infinity') return { ok: true, value: Infinity };
    if (node.text === 'undefined') return { ok: true, value: undefined };
    return { ok: false };
  }
  if (ts.isArrayLiteralExpression(node)) {
    const out: unknown[] = [];
    for (const e of node.elements) {
      const r = literalValue(e, decimals);
      if (!r.ok) return { ok: false };
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) return { ok: false };
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : null;
      if (key === null) return { ok: false };
      const r = literalValue(p.initializer, decimals);
      if (!r.ok) return { ok: false };
      out[key] = r.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false };
}

/** Parses `text` as one complete literal expression. */
function parseWholeLiteral(text: string): LiteralResult {
  if (!text.trim()) return { ok: false };
  const sf = ts.createSourceFile('c.ts', `(${text}\n)`, ts.ScriptTarget.Latest, true);
  const diagnostics = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (diagnostics.length || sf.statements.length !== 1) return { ok: false };
  const st = sf.statements[0]!;
  if (!ts.isExpressionStatement(st)) return { ok: false };
  const decimals: Printed[] = [];
  const r = literalValue(st.expression, decimals);
  return r.ok ? { ok: true, value: r.value, decimals } : { ok: false };
}

/** The literal a result comment shows (see the module comment for the rule), if any. */
export function parseShownLiteral(comment: string): LiteralResult {
  const text = comment.trim();
  if (text.startsWith('tensor(')) return { ok: true, value: new PrintedTensor(text), decimals: [] };
  const whole = parseWholeLiteral(text);
  if (whole.ok) return whole;
  if (!text.endsWith(')')) return { ok: false };
  for (let i = text.indexOf(' ('); i > 0; i = text.indexOf(' (', i + 1)) {
    const r = parseWholeLiteral(text.slice(0, i));
    if (r.ok) return r;
  }
  return { ok: false };
}

/** `import ... from 'x'` as a destructuring of `await __docImport('x')`; '' for type-only imports. */
function rewriteImport(decl: ts.ImportDeclaration, sf: ts.SourceFile): string {
  const spec = (decl.moduleSpecifier as ts.StringLiteral).text;
  const clause = decl.importClause;
  const src = `(await ${IMPORT}(${JSON.stringify(spec)}))`;
  if (!clause) return `await ${IMPORT}(${JSON.stringify(spec)});`;
  if (clause.isTypeOnly) return '';
  const parts: string[] = [];
  if (clause.name) parts.push(`const ${clause.name.text} = ${src}.default;`);
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) parts.push(`const ${nb.name.text} = ${src};`);
  if (nb && ts.isNamedImports(nb)) {
    const names = nb.elements
      .filter((e) => !e.isTypeOnly)
      .map((e) => (e.propertyName ? `${e.propertyName.getText(sf)}: ${e.name.text}` : e.name.text));
    if (names.length) parts.push(`const { ${names.join(', ')} } = ${src};`);
  }
  return parts.join(' ');
}

/**
 * Rewrites an example: its imports become `await __docImport(...)` destructurings, each checked
 * expression `e` becomes `__docCheck(i, (e))`; then TypeScript is transpiled to JavaScript.
 */
export function prepareExample(code: string): PreparedExample {
  const sf = ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true);
  const edits: { start: number; end: number; text: string }[] = [];
  const expectations: Expectation[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      edits.push({ start: st.getStart(sf), end: st.end, text: rewriteImport(st, sf) });
      continue;
    }
    if (!ts.isExpressionStatement(st)) continue;
    const comment = (ts.getTrailingCommentRanges(code, st.end) ?? [])[0];
    if (!comment || comment.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const text = code.slice(comment.pos + 2, comment.end);
    const lit = parseShownLiteral(text);
    if (!lit.ok) continue;
    let target: ts.Expression = st.expression;
    const e = st.expression;
    if (
      ts.isCallExpression(e) && e.arguments.length === 1 && ts.isPropertyAccessExpression(e.expression) &&
      e.expression.getText(sf) === 'console.log'
    )
      target = e.arguments[0]!;
    const index = expectations.length;
    expectations.push({
      codeLine: sf.getLineAndCharacterOfPosition(st.end).line,
      comment: text.trim(),
      expected: lit.value,
      decimals: lit.decimals,
    });
    edits.push({ start: target.getStart(sf), end: target.end, text: `${CHECK}(${index}, (${target.getText(sf)}))` });
  }
  let rewritten = code;
  for (const ed of edits.sort((a, b) => b.start - a.start))
    rewritten = rewritten.slice(0, ed.start) + ed.text + rewritten.slice(ed.end);
  const out = ts.transpileModule(rewritten, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true },
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { js: out.outputText, expectations, errors };
}

/** Plain JS data for comparison: typed arrays become arrays. */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/**
 * Compares a shown value with the expected literal; returns null when they agree, else a reason.
 * `decimals` is consumed in literal order (one entry per number).
 */
export function compareShown(actual: unknown, expected: unknown, decimals: Printed[], path = ''): string | null {
  const at = path || 'value';
  if (expected instanceof PrintedTensor)
    return String(actual) === expected.text ? null : `${at}: expected ${expected.text}, got ${String(actual)}`;
  const a = plain(actual);
  if (a instanceof Tensor)
    return `${at} is a Tensor ${JSON.stringify(a.shape)}; show .toArray(), .item() or .shape instead`;
  if (typeof expected === 'number') {
    const p = decimals.shift() ?? { ulp: 0, scientific: false };
    if (typeof a !== 'number') return `${at}: expected the number ${expected}, got ${describe(a)}`;
    if (Number.isNaN(expected)) return Number.isNaN(a) ? null : `${at}: expected NaN, got ${a}`;
    if (a === expected) return null;
    const scale = p.scientific ? Math.abs(expected) : Math.max(Math.abs(expected), 1);
    const tol = Math.max(1e-6 * scale, p.ulp);
    return Math.abs(a - expected) <= tol * (1 + 1e-9) ? null : `${at}: expected ${expected} (+- ${tol}), got ${a}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(a)) return `${at}: expected an array of ${expected.length}, got ${describe(a)}`;
    if (a.length !== expected.length) return `${at}: expected ${expected.length} elements, got ${a.length}: ${describe(a)}`;
    for (let i = 0; i < expected.length; i++) {
      const r = compareShown(a[i], expected[i], decimals, `${at}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (a === null || typeof a !== 'object') return `${at}: expected an object, got ${describe(a)}`;
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(a).sort();
    if (ek.join() !== ak.join()) return `${at}: expected keys {${ek.join(', ')}}, got {${ak.join(', ')}}`;
    for (const k of Object.keys(expected)) {
      const r = compareShown((a as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], decimals, `${at}.${k}`);
      if (r) return r;
    }
    return null;
  }
  return Object.is(a, expected) ? null : `${at}: expected ${describe(expected)}, got ${describe(a)}`;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `Tensor ${JSON.stringify(v.shape)}`;
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(plain(v));
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}...` : s;
  } catch {
    return String(v);
  }
}

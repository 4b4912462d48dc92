/**
 * Extracts the `@example` blocks of the doc comments in the packages' sources, with the name of
 * the documented symbol, so that test/doc-examples.test.ts can run them.
 *
 * Rules (kept in one place so the docs and the test agree):
 * - every `/** ... *\/` comment attached to a declaration is read; the leading ` * ` of each line
 *   is stripped;
 * - an `@example` block runs to the next line that starts a block tag (`@param`, `@throws`, ...)
 *   outside a code fence, or to the end of the comment; text on the `@example` line itself is a
 *   title (as TSDoc says), not code;
 * - if the block holds a ```ts (or ```js, or bare ```) fence, only the fenced code is the example;
 *   otherwise the whole block is code (as typedoc renders it);
 * - a block whose first code line is `// not run: <reason>` is extracted but not executed
 *   (it is still transpiled, so its syntax is checked).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One `@example` block. */
export interface DocExample {
  /** Package folder name: `core`, `nn`, `optim` or `datasets`. */
  pkg: string;
  /** Path relative to the repository root, e.g. `packages/core/src/tensor.ts`. */
  file: string;
  /** The documented symbol, e.g. `Tensor.matmul`, `F.relu` is `relu`; `(package)` for the package comment. */
  symbol: string;
  /** 1-based line of the `@example` tag in `file`. */
  line: number;
  /** 1-based line in `file` of each line of `code`. */
  codeLines: number[];
  /** The example's code, without comment decoration. */
  code: string;
  /** The reason after `// not run:`, or null when the example runs. */
  notRun: string | null;
}

/** A comment with `@example` in the middle of a line: typedoc reads it, this extractor would not. */
export interface MisplacedExample {
  file: string;
  line: number;
}

/** A declaration with a doc comment (or without one), as found by {@link listDocumented}. */
export interface Documented {
  file: string;
  symbol: string;
  line: number;
  examples: number;
}

const NOT_RUN = /^\/\/\s*not run:\s*(.+)$/;

/** All `.ts` files under `dir`, recursively, sorted. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The lines of a `/** ... *\/` comment without the opening, closing and leading ` * `. */
export function commentLines(raw: string): string[] {
  const body = raw.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  return body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
}

/** A block tag in the middle of a line (`/** Zeros. @example zeros([2]) *\/`), which this extractor does not support. */
export function hasMidLineExample(raw: string): boolean {
  return commentLines(raw).some((l) => /\S\s+@example\b/.test(l));
}

/** One `@example` block of a comment: its code, and the comment line of the tag and of each code line. */
export interface ExampleBlock {
  offset: number;
  code: string;
  lineOffsets: number[];
}

/** The `@example` blocks of one comment (code only), with line offsets in the comment. */
export function exampleBlocks(raw: string): ExampleBlock[] {
  const lines = commentLines(raw);
  const blocks: ExampleBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = /^\s*@example\b(.*)$/.exec(lines[i]!);
    if (!m) {
      i++;
      continue;
    }
    // Text on the tag's own line is the example's title (TSDoc), not code.
    const start = i;
    const body: [string, number][] = [];
    let inFence = false;
    for (i++; i < lines.length; i++) {
      const l = lines[i]!;
      if (/^\s*```/.test(l)) inFence = !inFence;
      if (!inFence && /^\s*@[a-zA-Z]+/.test(l)) break;
      body.push([l, i]);
    }
    const code = fencedCode(body);
    blocks.push({ offset: start, code: code.map(([l]) => l).join('\n'), lineOffsets: code.map(([, n]) => n) });
  }
  return blocks;
}

/** The lines inside ``` fences if there are any, else all lines; trimmed of blank edges. */
function fencedCode(body: [string, number][]): [string, number][] {
  const fenced: [string, number][] = [];
  let inFence = false;
  let sawFence = false;
  for (const entry of body) {
    if (/^\s*```/.test(entry[0])) {
      inFence = !inFence;
      sawFence = true;
      continue;
    }
    if (inFence) fenced.push(entry);
  }
  const lines = sawFence ? fenced : body;
  while (lines.length && !lines[0]![0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]![0].trim()) lines.pop();
  return lines;
}

/** The name of a declaration, qualified by its enclosing classes/interfaces/namespaces. */
function declName(node: ts.Node): string {
  const parts: string[] = [];
  for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    let name: string | undefined;
    if (ts.isConstructorDeclaration(n)) name = 'constructor';
    else if (ts.isVariableStatement(n)) name = n.declarationList.declarations.map((d) => d.name.getText()).join(',');
    else if (ts.isExportDeclaration(n)) name = n.exportClause && ts.isNamespaceExport(n.exportClause) ? n.exportClause.name.text : '(export)';
    else if ('name' in n && n.name && ts.isIdentifier(n.name as ts.Node)) name = (n.name as ts.Identifier).text;
    else if ('name' in n && n.name) name = (n.name as ts.Node).getText();
    if (name && (n === node || ts.isClassLike(n) || ts.isInterfaceDeclaration(n) || ts.isModuleDeclaration(n)))
      parts.unshift(name);
  }
  return parts.join('.') || '(anonymous)';
}

interface JSDocHolder extends ts.Node {
  jsDoc?: ts.JSDoc[];
}

/** Visits every node that has doc comments, with the comments' raw text and start line. */
function forEachDocumented(
  sf: ts.SourceFile,
  fn: (node: ts.Node, docs: { raw: string; line: number; pkgDoc: boolean }[]) => void,
): void {
  const visit = (node: ts.Node): void => {
    const docs = (node as JSDocHolder).jsDoc;
    if (docs?.length) {
      fn(
        node,
        docs.map((d) => {
          const raw = sf.text.slice(d.getStart(sf), d.end);
          return { raw, line: sf.getLineAndCharacterOfPosition(d.getStart(sf)).line + 1, pkgDoc: /@packageDocumentation/.test(raw) };
        }),
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

/**
 * Every `@example` block in the doc comments of the `.ts` files under `packages/<pkg>/src`;
 * comments with a mid-line `@example` are added to `misplaced` when given.
 */
export function extractExamples(root: string, pkgs: readonly string[], misplaced?: MisplacedExample[]): DocExample[] {
  const out: DocExample[] = [];
  for (const pkg of pkgs) {
    for (const path of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      const file = relative(root, path).split('\\').join('/');
      const seen = new Map<string, number>();
      forEachDocumented(parse(path), (node, docs) => {
        for (const doc of docs) {
          if (hasMidLineExample(doc.raw)) misplaced?.push({ file, line: doc.line });
          for (const block of exampleBlocks(doc.raw)) {
            let symbol = doc.pkgDoc ? '(package)' : declName(node);
            const n = (seen.get(symbol) ?? 0) + 1;
            seen.set(symbol, n);
            if (n > 1) symbol = `${symbol} #${n}`;
            const first = block.code.split('\n')[0]!.trim();
            const nr = NOT_RUN.exec(first);
            out.push({
              pkg, file, symbol, line: doc.line + block.offset, codeLines: block.lineOffsets.map((o) => doc.line + o),
              code: block.code, notRun: nr ? nr[1]!.trim() : null,
            });
          }
        }
      });
    }
  }
  return out;
}

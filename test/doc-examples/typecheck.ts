/**
 * Type-checks every doc-comment example against the packages' sources, as a user's strict
 * TypeScript file would see it: each example becomes a virtual module that imports the exported
 * names it mentions (its own package first, as when it runs) and is checked with the repository's
 * compiler options (unused names allowed). Examples marked `// not run:` are checked too.
 *
 * Usage: `npx tsx test/doc-examples/typecheck.ts` (from the repository root); exits 1 on errors.
 * Also used by test/doc-examples.test.ts through {@link typecheckExamples}.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import ts from 'typescript';
import { extractExamples, type DocExample } from './extract.js';
import { listExports } from './exports.js';

const PKGS = ['core', 'nn', 'optim', 'datasets', 'train', 'onnx', 'native'] as const;

/** One type error in an example, located in the source file that holds the doc comment. */
export interface ExampleTypeError {
  file: string;
  line: number;
  symbol: string;
  message: string;
}

/** Names declared at the top level of an example (they shadow the packages' exports). */
function topLevelNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const bind = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name)
      out.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) out.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) out.add(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) c.namedBindings.elements.forEach((e) => out.add(e.name.text));
    }
  }
  return out;
}

/** Type-checks the examples; returns every error found in them. */
export function typecheckExamples(root: string): ExampleTypeError[] {
  const examples = extractExamples(root, PKGS);
  const exported = new Map<string, Set<string>>();
  for (const s of listExports(root, PKGS)) {
    if (s.name.includes('.')) continue; // namespace members are reached through the namespace
    if (!exported.has(s.pkg)) exported.set(s.pkg, new Set());
    exported.get(s.pkg)!.add(s.name);
  }
  const virtual = new Map<string, { text: string; ex: DocExample; header: number }>();
  examples.forEach((ex, i) => {
    const sf = ts.createSourceFile('x.ts', ex.code, ts.ScriptTarget.Latest, true);
    const declared = topLevelNames(sf);
    const words = new Set(ex.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
    const imports = new Map<string, string[]>();
    const taken = new Set<string>();
    for (const pkg of [ex.pkg, ...PKGS.filter((p) => p !== ex.pkg)]) {
      for (const name of exported.get(pkg) ?? []) {
        if (!words.has(name) || declared.has(name) || taken.has(name)) continue;
        taken.add(name);
        if (!imports.has(pkg)) imports.set(pkg, []);
        imports.get(pkg)!.push(name);
      }
    }
    const header = [...imports].map(([pkg, names]) => `import { ${names.join(', ')} } from '@tapegrad/${pkg}';`);
    header.push('export {};');
    const path = join(root, 'test', 'doc-examples', '.virtual', `example-${i}.ts`);
    virtual.set(path, { text: `${header.join('\n')}\n${ex.code}\n`, ex, header: header.length });
  });

  const base = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.base.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!.options;
  const options: ts.CompilerOptions = {
    ...base,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
    types: ['node'],
    baseUrl: root,
    paths: Object.fromEntries(PKGS.map((p) => [`@tapegrad/${p}`, [`packages/${p}/src/index.ts`]])),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => virtual.get(f)?.text ?? readFile(f);
  host.fileExists = (f) => virtual.has(f) || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = virtual.get(f);
    return v ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const out: ExampleTypeError[] = [];
  for (const [path, v] of virtual) {
    const sf = program.getSourceFile(path)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line - v.header;
      out.push({
        file: v.ex.file,
        line: v.ex.codeLines[line] ?? v.ex.line,
        symbol: v.ex.symbol,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const errors = typecheckExamples(root);
  for (const e of errors) console.log(`${e.file}:${e.line} (${e.symbol}): ${e.message}`);
  console.log(`${errors.length} type error(s) in doc examples`);
  process.exitCode = errors.length ? 1 : 0;
}

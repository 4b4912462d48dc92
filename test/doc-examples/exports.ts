/**
 * Lists the exported symbols of the packages (through their `src/index.ts`, following re-exports
 * and `export * as ns` namespaces) and whether their doc comments carry an `@example`.
 */
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One exported symbol. */
export interface ExportedSymbol {
  pkg: string;
  /** Qualified name: `Tensor`, `F.relu`, `init.zeros_`; members as `Linear.forward`. */
  name: string;
  kind: 'value' | 'type' | 'namespace' | 'member';
  /** Declaration file relative to the root, and 1-based line. */
  file: string;
  line: number;
  documented: boolean;
  hasExample: boolean;
  internal: boolean;
}

function docsOf(node: ts.Node): ts.JSDoc[] {
  const out: ts.JSDoc[] = [];
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const docs = (n as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc;
    if (docs?.length) {
      out.push(...docs);
      break;
    }
    // A variable's comment sits on its statement, an `export * as ns` one on the export declaration.
    if (!(ts.isVariableDeclaration(n) || ts.isVariableDeclarationList(n) || ts.isNamespaceExport(n))) break;
  }
  return out;
}

function tagsOf(docs: ts.JSDoc[]): string[] {
  return docs.flatMap((d) => (d.tags ?? []).map((t) => t.tagName.text));
}

/**
 * The exported symbols of `packages/<pkg>/src/index.ts` for each package, with `members: true`
 * also the public, non-inherited members of exported classes.
 */
export function listExports(root: string, pkgs: readonly string[], opts: { members?: boolean } = {}): ExportedSymbol[] {
  const entries = pkgs.map((p) => join(root, 'packages', p, 'src', 'index.ts'));
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    noResolve: false,
  });
  const checker = program.getTypeChecker();
  const out: ExportedSymbol[] = [];

  const record = (pkg: string, name: string, sym: ts.Symbol, aliasDecls: readonly ts.Declaration[]) => {
    const decls = sym.declarations ?? [];
    const docs = [...aliasDecls, ...decls].flatMap(docsOf);
    const tags = tagsOf(docs);
    const first = decls[0] ?? aliasDecls[0];
    const sf = first?.getSourceFile();
    const isType = !(sym.flags & ts.SymbolFlags.Value);
    out.push({
      pkg,
      name,
      kind: sym.flags & ts.SymbolFlags.ValueModule && !ts.isClassLike(first!) ? 'namespace' : isType ? 'type' : 'value',
      file: sf ? relative(root, sf.fileName).split('\\').join('/') : '?',
      line: sf && first ? sf.getLineAndCharacterOfPosition(first.getStart(sf)).line + 1 : 0,
      documented: docs.some((d) => d.comment !== undefined || (d.tags?.length ?? 0) > 0),
      hasExample: tags.includes('example'),
      internal: tags.includes('internal'),
    });
    if (opts.members && sym.flags & ts.SymbolFlags.Class) {
      const cls = decls.find(ts.isClassDeclaration);
      for (const m of cls?.members ?? []) {
        if (!m.name && !ts.isConstructorDeclaration(m)) continue;
        const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
        if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        if (m.name && ts.isPrivateIdentifier(m.name)) continue;
        const mname = ts.isConstructorDeclaration(m) ? 'constructor' : m.name!.getText();
        const mdocs = docsOf(m);
        const mtags = tagsOf(mdocs);
        const msf = m.getSourceFile();
        out.push({
          pkg,
          name: `${name}.${mname}`,
          kind: 'member',
          file: relative(root, msf.fileName).split('\\').join('/'),
          line: msf.getLineAndCharacterOfPosition(m.getStart(msf)).line + 1,
          documented: mdocs.length > 0,
          hasExample: mtags.includes('example'),
          internal: mtags.includes('internal'),
        });
      }
    }
  };

  const walk = (pkg: string, moduleSym: ts.Symbol, prefix: string) => {
    for (const exp of checker.getExportsOfModule(moduleSym)) {
      const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const name = prefix + exp.name;
      const aliasDecls = exp === target ? [] : exp.declarations ?? [];
      const isModule = (target.declarations ?? []).some(ts.isSourceFile);
      if (isModule) {
        const docs = aliasDecls.flatMap(docsOf);
        out.push({
          pkg, name, kind: 'namespace', file: '', line: 0,
          documented: docs.length > 0, hasExample: tagsOf(docs).includes('example'), internal: tagsOf(docs).includes('internal'),
        });
        walk(pkg, target, `${name}.`);
        continue;
      }
      record(pkg, name, target, aliasDecls);
    }
  };

  pkgs.forEach((pkg, i) => {
    const sf = program.getSourceFile(entries[i]!);
    const sym = sf && checker.getSymbolAtLocation(sf);
    if (!sym) throw new Error(`listExports: cannot read ${entries[i]}`);
    walk(pkg, sym, '');
  });
  return out;
}

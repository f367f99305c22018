// The project's module graph, read from its sources (TypeScript, and the <script> blocks of
// Svelte components) with the TypeScript parser: which file imports which, and whether an import
// survives compilation or is erased with the types. Used by the lint rule against import cycles
// (no-import-cycle.mjs) and by the architecture tests (test/unit/architecture/).
//
// An import is type-only when the compiler erases it: `import type …`, `export type … from`,
// `typeof import('…')`. `import { type A } from` is not: under verbatimModuleSyntax it stays as
// `import {} from`, and the module still loads. Specifiers resolve as moduleResolution "Bundler"
// does for this project: relative paths with or without '.ts', folders' index.ts, '.js' written
// for '.ts', and the `@common/*` alias of tsconfig.json and the builds. Anything else is a
// package or a Node builtin (target null).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const sourceExtensions = ['.ts', '.mts', '.svelte'];
/** How an extension-less specifier may name a file. */
const resolutionSuffixes = ['', '.ts', '.d.ts', '.mts', '/index.ts'];
/** Import aliases: specifier prefix → folder, relative to the root. */
const aliases = [['@common/', 'src-main/common/']];

/** Repository-relative path with forward slashes. */
export function repositoryPath(root, path) {
  return relative(root, path).split(sep).join('/');
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Every source file under `folder` (absolute), sorted. */
export function listSourceFiles(folder) {
  const files = [];
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...listSourceFiles(path));
    } else if (sourceExtensions.some((extension) => entry.name.endsWith(extension))) {
      files.push(path);
    }
  }
  return files.sort();
}

/** The imported file (repository-relative), or null for a package or a builtin. */
export function resolveSpecifier(root, importer, specifier) {
  const bare = specifier.replace(/\?.*$/, '');
  let base = null;
  if (bare.startsWith('.') || bare.startsWith('/')) {
    base = resolve(dirname(join(root, importer)), bare);
  } else {
    const alias = aliases.find(([prefix]) => bare.startsWith(prefix));
    if (alias !== undefined) base = join(root, alias[1], bare.slice(alias[0].length));
  }
  if (base === null) return null;
  const candidates = resolutionSuffixes.map((suffix) => base + suffix);
  if (base.endsWith('.js')) candidates.push(base.slice(0, -3) + '.ts');
  const found = candidates.find(isFile);
  // An import that does not resolve is the compiler's to report, not a cycle.
  return found === undefined ? null : repositoryPath(root, found);
}

/** The `<script>` blocks of a Svelte component. */
function svelteScripts(text) {
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
}

/** The imports of one file, given its repository-relative path and its text. */
export function readImports(root, file, text) {
  const scripts = file.endsWith('.svelte') ? svelteScripts(text) : [text];
  const edges = [];
  const add = (specifier, typeOnly) =>
    edges.push({ specifier, target: resolveSpecifier(root, file, specifier), typeOnly });
  for (const script of scripts) {
    const source = ts.createSourceFile(
      file,
      script,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
      } else if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier !== undefined &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        add(node.moduleSpecifier.text, node.isTypeOnly);
      } else if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        add(node.argument.literal.text, true);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] !== undefined &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** Every source file under the given folders (relative to `root`) → its imports. */
export function readImportGraph(root, folders) {
  const graph = new Map();
  for (const folder of folders) {
    for (const path of listSourceFiles(join(root, folder))) {
      const file = repositoryPath(root, path);
      graph.set(file, readImports(root, file, readFileSync(path, 'utf8')));
    }
  }
  return graph;
}

/** The files an edge list points to, among those `follow` keeps. */
function targets(edges, follow) {
  return edges.filter((edge) => edge.target !== null && follow(edge)).map((edge) => edge.target);
}

/**
 * The import cycles: strongly connected components of more than one file (or of one file that
 * imports itself), each sorted, by Tarjan's algorithm over the edges that `follow` keeps.
 */
export function findCycles(graph, follow = () => true) {
  const index = new Map();
  const lowLink = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const connect = (file) => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file));
    stack.push(file);
    onStack.add(file);
    const next = targets(graph.get(file) ?? [], follow);
    for (const target of next) {
      if (!index.has(target)) {
        connect(target);
        lowLink.set(file, Math.min(lowLink.get(file), lowLink.get(target)));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file), index.get(target)));
      }
    }
    if (lowLink.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || next.includes(file)) components.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return components;
}

/** The shortest chain of imports from `from` to `to` (both included), or null. */
export function importPath(graph, from, to, follow = () => true) {
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0 && !previous.has(to)) {
    const file = queue.shift();
    for (const target of targets(graph.get(file) ?? [], follow)) {
      if (previous.has(target)) continue;
      previous.set(target, file);
      queue.push(target);
    }
  }
  if (!previous.has(to)) return null;
  const path = [to];
  for (let file = previous.get(to); file !== null; file = previous.get(file)) path.unshift(file);
  return path;
}

/**
 * The files that `start` loads at run time, directly or through others, each with the chain of
 * imports that loads it (start first); type-only imports are not followed.
 */
export function runtimeClosure(graph, start) {
  const routes = new Map([[start, [start]]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of targets(graph.get(file) ?? [], (edge) => !edge.typeOnly)) {
      if (routes.has(target)) continue;
      routes.set(target, [...routes.get(file), target]);
      queue.push(target);
    }
  }
  return routes;
}

/** The package an external specifier names ('@scope/name' or 'name'); null for a builtin. */
export function packageName(specifier) {
  if (specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

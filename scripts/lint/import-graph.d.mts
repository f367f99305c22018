// Types of import-graph.mjs, for the architecture tests.

export interface ImportEdge {
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative path of the imported file; null for a package or a Node builtin. */
  target: string | null;
  /** Erased by the compiler: nothing of it loads at run time. */
  typeOnly: boolean;
}

/** Repository-relative file path (forward slashes) → its imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

export function repositoryPath(root: string, path: string): string;
export function listSourceFiles(folder: string): string[];
export function resolveSpecifier(root: string, importer: string, specifier: string): string | null;
export function readImports(root: string, file: string, text: string): ImportEdge[];
export function readImportGraph(root: string, folders: string[]): ImportGraph;
export function findCycles(graph: ImportGraph, follow?: (edge: ImportEdge) => boolean): string[][];
export function importPath(
  graph: ImportGraph,
  from: string,
  to: string,
  follow?: (edge: ImportEdge) => boolean,
): string[] | null;
export function runtimeClosure(graph: ImportGraph, start: string): Map<string, string[]>;
export function packageName(specifier: string): string | null;

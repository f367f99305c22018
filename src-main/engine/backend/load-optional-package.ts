/**
 * Loads an optional npm package at run time, and says why not when it cannot.
 *
 * createRequire works both when vitest runs the TypeScript sources as ES modules and in the
 * CommonJS bundle vite writes to out/main (rollup rewrites import.meta.url there). The package
 * name is a variable, so the bundler neither tries to resolve nor to inline the package.
 */
import { createRequire } from 'node:module';

export type PackageLoad = { ok: true } | { ok: false; reason: string };

export type PackageLoader = (packageName: string) => PackageLoad;

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const loadOptionalPackage: PackageLoader = (packageName) => {
  const load = createRequire(import.meta.url);
  try {
    load.resolve(packageName);
  } catch {
    return { ok: false, reason: `package ${packageName} is not installed` };
  }
  try {
    load(packageName);
    return { ok: true };
  } catch (error) {
    const code = errorCode(error);
    const detail = errorMessage(error).split('\n')[0] ?? '';
    return {
      ok: false,
      reason: `package ${packageName} is installed but failed to load${code ? ` (${code})` : ''}: ${detail}`,
    };
  }
};

// Builds a second copy of better-sqlite3's native addon against Electron's headers, next to the
// Node build that tests and the CLI use, so that `npm start` (Electron) and `npm test` (Node)
// never break each other. The Electron main process loads it through better-sqlite3's
// `nativeBinding` option. Needs Electron's headers, so it runs only where Electron is installed
// (and, the first time, online). Usage: node scripts/build-electron-sqlite.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const electronSqliteBinding = resolve(
  'node_modules',
  '.rfw-electron',
  'better_sqlite3.node',
);

export function buildElectronSqlite() {
  if (existsSync(electronSqliteBinding)) return electronSqliteBinding;
  const electronVersion = JSON.parse(
    readFileSync('node_modules/electron/package.json', 'utf8'),
  ).version;
  const work = mkdtempSync(join(tmpdir(), 'rfw-sqlite-electron-'));
  try {
    cpSync('node_modules/better-sqlite3', work, { recursive: true });
    rmSync(join(work, 'build'), { recursive: true, force: true });
    const nodeGyp = resolve('node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const gyp = existsSync(nodeGyp) ? [process.execPath, nodeGyp] : ['npx', 'node-gyp'];
    execFileSync(
      gyp[0],
      [
        ...gyp.slice(1),
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit' },
    );
    mkdirSync(resolve('node_modules', '.rfw-electron'), { recursive: true });
    cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), electronSqliteBinding);
    return electronSqliteBinding;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`built ${buildElectronSqlite()}`);
}

// `npm start`: the Electron desktop app where Electron's binary is installed; otherwise one line
// that says so, and the same UI from the browser shell (which opens Chromium in app mode if found).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildElectronSqlite } from './build-electron-sqlite.mjs';

function electronBinary() {
  const pathFile = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join('node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function startBrowserShell(reason) {
  console.log(`${reason}, so the workbench opens from the browser shell instead.`);
  return spawn(
    process.execPath,
    [join('out', 'main', 'browser-shell.js'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
}

function startElectron(binary) {
  let binding;
  try {
    binding = buildElectronSqlite();
  } catch (error) {
    return startBrowserShell(
      `better-sqlite3 could not be built for Electron (${error.message.split('\n')[0]})`,
    );
  }
  return spawn(binary, ['.'], {
    stdio: 'inherit',
    env: { ...process.env, RFW_SQLITE_BINDING: binding },
  });
}

const binary = electronBinary();
const child = binary
  ? startElectron(binary)
  : startBrowserShell(
      "Electron's binary is not installed (its download needs the internet; `npx install-electron` fetches it)",
    );
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

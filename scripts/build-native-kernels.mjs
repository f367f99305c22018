// Builds the optional native kernel addon (native/) at `npm install`, the way better-sqlite3
// compiles SQLite: from source, here, against the system OpenBLAS. It never fails the install:
// where the headers, the compiler or the library are missing it says why in one line and the
// engine keeps its wasm kernels (the backend status then reports the reason).
// Usage: node scripts/build-native-kernels.mjs   (npm runs it as postinstall)
// N-API keeps the binary ABI-stable, so the one build serves Node and Electron alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addonFolder = join(root, 'native');
const cblasHeaders = ['/usr/include/cblas.h', '/usr/include/x86_64-linux-gnu/cblas.h'];

function skip(reason) {
  console.log(`native kernels not built: ${reason}. The engine will use its wasm kernels.`);
  process.exit(0);
}

/** npm sets npm_config_node_gyp for install scripts; otherwise use the node-gyp npm ships. */
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/** Node's own headers next to the binary (a distribution's nodejs), so node-gyp needs no download. */
function nodeHeadersDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'node_api.h')))
    return configured;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

if (process.env.RFW_NATIVE_KERNELS === 'off') skip('RFW_NATIVE_KERNELS=off');
if (!cblasHeaders.some((path) => existsSync(path))) {
  skip('no cblas.h (install the system OpenBLAS: apt-get install libopenblas-dev)');
}
const nodeGyp = nodeGypScript();
if (nodeGyp === null) skip('node-gyp not found (it ships with npm)');
const headers = nodeHeadersDir();
const args = [nodeGyp, 'rebuild', '--release', ...(headers ? [`--nodedir=${headers}`] : [])];
const build = spawnSync(process.execPath, args, { cwd: addonFolder, encoding: 'utf8' });
if (build.status !== 0) {
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n');
  console.log(output.slice(-15).join('\n'));
  skip(`node-gyp exited with ${build.status ?? build.signal}; its last lines are above`);
}
console.log('native kernels built: native/build/Release/rfw_kernels.node (OpenBLAS)');

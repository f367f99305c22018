#!/usr/bin/env node
// The `rfw` command (package.json "bin"): runs the built CLI, out/main/cli.js (npm run build).
import '../out/main/cli.js';

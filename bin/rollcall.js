#!/usr/bin/env node
// The `rollcall` command: runs the compiled CLI (`npm run build` writes dist/; `npm ci` runs it).
try {
  require.resolve('../dist/services/cli.js');
} catch {
  process.stderr.write('rollcall: not built yet; run `npm run build` first\n');
  process.exit(2);
}
require('../dist/services/cli.js');

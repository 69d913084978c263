// Bundles the extension (and the headless CLI, once it exists) with esbuild, and copies sql.js's
// WebAssembly beside the bundle. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');

const entryPoints = ['src/extension.ts', 'src/cli/main.ts'].filter((entry) => existsSync(entry));
const options = {
  entryPoints: Object.fromEntries(entryPoints.map((e) => [e.endsWith('extension.ts') ? 'extension' : 'cli', e])),
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // VS Code 1.101 (our engines floor) runs extensions on Node 22.
  target: 'node22',
  // The wasm path is resolved at run time (dist/ in the bundle, node_modules from sources).
  external: ['vscode', 'sql.js/dist/sql-wasm.wasm'],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}

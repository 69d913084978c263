// Bundles the extension and the headless CLI (node, cjs) and the registration panel's webview
// (browser, esm) with esbuild; copies sql.js's WebAssembly, the codicon font and the panel's CSS
// beside the bundles. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// A production build starts clean: no source map of an earlier development build may reach the .vsix.
if (production) rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/webview', { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
const codicons = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
copyFileSync(join(codicons, 'codicon.css'), 'dist/webview/codicon.css');
copyFileSync(join(codicons, 'codicon.ttf'), 'dist/webview/codicon.ttf');
// uPlot's own stylesheet, then ours: one file, loaded by <link> (the CSP allows no inline style).
writeFileSync(
  'dist/webview/registration.css',
  readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') + '\n' + readFileSync('webview/registration/registration.css', 'utf8'),
);

// @kubernetes/client-node (~15 MB unminified, with its generated API) is its own bundle, loaded by
// require at first use: V8 would otherwise scan all of it at activation. The host bundles refer
// to it as ./client-node.js, beside them.
// The services (most of the extension) are a bundle of their own, loaded by the activation shell
// (src/extension.ts) after activate() returns: VS Code times activation, and every extension
// waits for it.
const servicesApart = {
  name: 'services-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/services$/ }, (args) => (args.importer.endsWith('src/extension.ts') ? { path: './services.js', external: true } : undefined));
  },
};

const clientNodeApart = {
  name: 'client-node-apart',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './client-node.js', external: true }));
  },
};

// KubeConfig's module also serves the library's generated API client and fetch path, which we do
// not use (we apply credentials to our own requests): left out, they would cost a third of the
// bundle and about 15 MB of memory in every process. What stands in for them fails loudly.
const clientNodeUnused = {
  name: 'client-node-unused',
  setup(build) {
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      args.importer.includes('@kubernetes/client-node') ? { path: 'client-node-generated-api', namespace: 'unused' } : undefined,
    );
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents:
        args.path === 'node-fetch'
          ? 'export const Headers = globalThis.Headers;'
          : "const absent = () => { throw new Error('the generated Kubernetes API client is not bundled'); };\nexport const createConfiguration = absent;\nexport class ServerConfiguration { constructor() { absent(); } }",
      loader: 'js',
    }));
  },
};

const clientNode = {
  // Only what we use (KubeConfig, from its own module), so the rest of the library stays out.
  stdin: { contents: "export { KubeConfig } from './node_modules/@kubernetes/client-node/dist/config.js';", resolveDir: '.', loader: 'js' },
  plugins: [clientNodeUnused],
  outfile: 'dist/client-node.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

const host = {
  entryPoints: { extension: 'src/extension.ts', services: 'src/services.ts', cli: 'src/cli/main.ts', sqlEngineWorker: 'src/core/store/sqlEngineWorker.ts' },
  plugins: [servicesApart, clientNodeApart],
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // VS Code 1.101 (our engines floor) runs extensions on Node 22.
  target: 'node22',
  // The wasm path is resolved at run time (dist/ in the bundle, node_modules from sources).
  external: ['vscode', 'sql.js/dist/sql-wasm.wasm'],
  sourcemap: !production,
  minify: production && !process.env.MESHERY_UNMINIFIED,
  logLevel: 'info',
};

const webview = {
  entryPoints: { registration: 'webview/registration/main.ts' },
  outdir: 'dist/webview',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // VS Code 1.101's webviews run in Electron 35 (Chromium 134).
  target: 'chrome120',
  tsconfig: 'webview/tsconfig.json',
  sourcemap: !production,
  minify: production && !process.env.MESHERY_UNMINIFIED,
  legalComments: 'none',
  logLevel: 'info',
};

if (watch) {
  await esbuild.build(clientNode);
  await Promise.all([host, webview].map(async (options) => (await esbuild.context(options)).watch()));
} else {
  await Promise.all([esbuild.build(clientNode), esbuild.build(host), esbuild.build(webview)]);
}

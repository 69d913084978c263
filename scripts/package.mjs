// Builds a minified bundle and packs it into a .vsix with @vscode/vsce; prints its size.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], {
  stdio: 'inherit',
});
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);

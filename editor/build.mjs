// Bundles the manifest editor (src/editor.js, CodeMirror 6 at the versions
// package-lock.json pins) into dist/editor.js, one minified ES module that
// the page imports after its first render. Run by Trunk's pre-build hook
// (Trunk.toml) after `npm ci` here (./dev does both).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const here = import.meta.dirname;
if (!fs.existsSync(path.join(here, 'node_modules', 'codemirror'))) {
  console.error('editor/node_modules is missing: run `npm ci --prefix editor` (./dev setup does)');
  process.exit(1);
}
const out = path.join(here, 'dist', 'editor.js');
await build({
  entryPoints: [path.join(here, 'src', 'editor.js')],
  outfile: out,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  // The worker's client is the site's own module, beside editor.js.
  external: ['./services.js'],
  logLevel: 'warning',
});
const size = fs.statSync(out).size;
const gz = zlib.gzipSync(fs.readFileSync(out), { level: 9 }).length;
console.log(`editor/dist/editor.js: ${(size / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);

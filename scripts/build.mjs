// Bundles src/bin.ts into one minified entry (dist/looop.mjs) plus lazily loaded chunks.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Stale chunks from earlier builds would pile up in dist/.
rmSync('dist', { recursive: true, force: true });

const result = await build({
  entryPoints: { looop: 'src/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  define: { __LOOOP_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (proper-lockfile, graceful-fs) call require() for builtins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));

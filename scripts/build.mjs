// BUILD_NO_MINIFY=1 keeps names readable for --cpu-prof.
// Bundles looop: dist/looop.mjs answers `version` alone; dist/hot.mjs carries every hot path (routing, a
// skipped tick, ls, send, key, flag) in ONE module, because each extra ESM module costs ~0.75 ms to load. Heavy, rarer paths are
// "islands": separate bundles loaded with `await import()` only when needed (the yargs CLI, the
// decide+act half of a beat with execa and zod, the zod config schema, zx's git glue).
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export const ISLANDS = {
  hot: 'src/route.ts',
  cli: 'src/cli/main.ts',
  respond: 'src/beat/respond.ts',
  'config-schema': 'src/config-schema.ts',
  'git-memory': 'src/beat/git-memory.ts',
  manual: 'src/manual-text.ts',
};
const islandByPath = new Map(Object.entries(ISLANDS).map(([name, p]) => [resolve(p), name]));

/** A dynamic import of an island module becomes an import of its own bundle file. */
const islands = {
  name: 'islands',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const target = resolve(args.resolveDir, args.path);
      const name = islandByPath.get(target);
      if (!name) return undefined;
      return { path: `./${name}.mjs`, external: true };
    });
  },
};

// Build beside dist/ and swap it in, so a running looop or test never sees half a dist/.
const out = `dist.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });

const result = await build({
  entryPoints: { looop: 'src/bin.ts', ...ISLANDS },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: false,
  minify: !process.env.BUILD_NO_MINIFY,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  define: { __LOOOP_VERSION__: JSON.stringify(pkg.version) },
  alias: { 'graceful-fs': './scripts/shims/graceful-fs.cjs' },
  plugins: [islands],
  // CommonJS dependencies (proper-lockfile) call require() for builtins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const meta = JSON.parse(JSON.stringify(result.metafile).replaceAll(`${out}/`, 'dist/'));
writeFileSync(`${out}/meta.json`, JSON.stringify(meta));
chmodSync(`${out}/looop.mjs`, 0o755);
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });
if (process.env.BUILD_VERBOSE) {
  for (const [file, o] of Object.entries(meta.outputs)) console.log(`${basename(file).padEnd(22)} ${(o.bytes / 1024).toFixed(0).padStart(5)} KiB`);
}

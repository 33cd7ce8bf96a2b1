// Bundles looop. Why it looks like this:
// - dist/looop.mjs answers `version` alone; dist/hot.mjs carries every hot path (routing, a skipped tick,
//   ls, send, key, flag, claim) in ONE module, because each extra ESM module costs ~0.75 ms to load.
// - Heavy or rare paths are islands: every `loadIsland(() => import('./x.ts'))` in src/ (src/island.ts)
//   makes x.ts its own bundle, so a boundary is visible where the code crosses it.
// - One instance of every module: a module two bundles need lives only in the first (hot, then the
//   islands in order), which publishes it; the others read it from there. So `instanceof LooopError`
//   holds across bundles and nothing is parsed twice.
// - completions/ is generated from the verb table by the fresh bundle (`looop completion bash|zsh`).
// BUILD_NO_MINIFY=1 keeps names readable for --cpu-prof; BUILD_VERBOSE=1 prints bundle sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { findIslands } from './build-islands.mjs';

const ROOT = resolve(import.meta.dirname, '..');
process.chdir(ROOT);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const REGISTRY = "globalThis[Symbol.for('looop.shared')]";

const ISLANDS = findIslands();
const BUNDLES = { looop: 'src/bin.ts', hot: 'src/route.ts', ...ISLANDS };
const islandByPath = new Map(Object.entries(BUNDLES).filter(([n]) => n !== 'looop').map(([name, p]) => [resolve(p), name]));

const common = {
  bundle: true,
  splitting: false,
  minify: !process.env.BUILD_NO_MINIFY,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  define: { __LOOOP_VERSION__: JSON.stringify(pkg.version) },
  alias: { 'graceful-fs': './scripts/shims/graceful-fs.cjs' },
  // CommonJS dependencies (proper-lockfile) call require() for builtins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
};

/** A dynamic import of another bundle's entry becomes an import of that bundle's file. */
const islands = (self) => ({
  name: 'islands',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w.-]+\.mjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = islandByPath.get(resolve(args.resolveDir, args.path));
      if (!name || name === self) return undefined;
      return { path: `./${name}.mjs`, external: true };
    });
  },
});

/** Modules owned by another bundle are read from the registry that bundle fills when it loads. */
const borrow = (owned) => ({
  name: 'borrow',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.borrow || args.kind === 'entry-point' || args.namespace === 'borrowed') return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { borrow: true } });
      if (r.errors.length || r.external) return undefined;
      const key = relative(ROOT, r.path);
      return owned.has(key) ? { path: key, namespace: 'borrowed' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'borrowed' }, (args) => ({ contents: `module.exports=${REGISTRY}[${JSON.stringify(args.path)}];`, loader: 'js' }));
  },
});

/** The bundle's real entry, plus: load the bundles it borrows from, publish what others borrow from it. */
function entryFor(name, publish, needs) {
  const lines = needs.map((o) => `import './${o}.mjs';`);
  // An island whose entry module an earlier bundle owns re-exports that instance by name: `export *` from
  // a borrowed (CommonJS-shaped) module would export nothing.
  if (name !== 'looop' && owner.get(BUNDLES[name]) !== name) {
    lines.push(`const __e=${REGISTRY}[${JSON.stringify(BUNDLES[name])}];`);
    if (exportsOf[name].length) lines.push(`export const {${exportsOf[name].join(',')}}=__e;`);
  } else lines.push(`export * from ${JSON.stringify(resolve(BUNDLES[name]))};`);
  // Getters: a published module is only evaluated when a borrower first needs it (require() inside the
  // bundle is esbuild's synchronous lazy init), so publishing costs the hot path nothing. A CommonJS
  // module is published as its module.exports, exactly what require() gives.
  if (publish.length) {
    lines.push(`const r=${REGISTRY}??={};`);
    publish.forEach((k) => lines.push(`Object.defineProperty(r,${JSON.stringify(k)},{get:()=>require(${JSON.stringify(resolve(k))}),enumerable:true});`));
  }
  return { contents: lines.join('\n'), resolveDir: ROOT, sourcefile: `${name}.entry.js`, loader: 'js' };
}

// Pass 1: what each bundle would contain on its own.
const alone = {};
const exportsOf = {};
const cjs = new Set();
for (const [name, entry] of Object.entries(BUNDLES)) {
  const r = await build({ ...common, entryPoints: [entry], write: false, outfile: `${name}.mjs`, plugins: [islands(name)] });
  alone[name] = Object.keys(Object.values(r.metafile.outputs)[0].inputs);
  exportsOf[name] = Object.values(r.metafile.outputs)[0].exports ?? [];
  for (const [k, i] of Object.entries(r.metafile.inputs)) if (i.format === 'cjs') cjs.add(k);
}
// Owners: the first bundle (hot, then islands by name) holding an ES module; the stub looop.mjs stays alone.
const order = Object.keys(BUNDLES).filter((n) => n !== 'looop');
const owner = new Map();
// Owners come first in `order`, so a bundle only ever borrows from bundles before it: no import cycles.
for (const n of order) for (const k of alone[n]) if (!owner.has(k) && /\.(ts|mjs|js|cjs)$/.test(k)) owner.set(k, n);
const borrowed = new Map(order.map((n) => [n, new Set(alone[n].filter((k) => owner.has(k) && owner.get(k) !== n))]));
const published = new Map(order.map((n) => [n, [...new Set(order.flatMap((m) => [...borrowed.get(m)].filter((k) => owner.get(k) === n)))].sort()]));

// Pass 2: build beside dist/ and swap it in, so a running looop or test never sees half a dist/.
const out = `dist.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });
const meta = { inputs: {}, outputs: {} };
for (const [name, entry] of Object.entries(BUNDLES)) {
  const owned = borrowed.get(name) ?? new Set();
  const needs = [...new Set([...owned].map((k) => owner.get(k)))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const r = await build({
    ...common,
    ...(name === 'looop' ? { entryPoints: [entry] } : { stdin: entryFor(name, published.get(name), needs) }),
    outfile: `${out}/${name}.mjs`,
    plugins: [islands(name), borrow(owned)],
  });
  Object.assign(meta.inputs, r.metafile.inputs);
  for (const [file, o] of Object.entries(r.metafile.outputs)) meta.outputs[file.replace(`${out}/`, 'dist/')] = { ...o, entryPoint: entry };
}
writeFileSync(`${out}/meta.json`, JSON.stringify(meta));
chmodSync(`${out}/looop.mjs`, 0o755);

// completions/ from the verb table, rewritten only when it changed (pretest compares mtimes).
for (const [shell, file] of [['bash', 'completions/looop.bash'], ['zsh', 'completions/_looop']]) {
  const text = execFileSync(process.execPath, [`${out}/looop.mjs`, 'completion', shell], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
}

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });
// pretest compares src/, scripts/ and completions/ against this file's mtime.
utimesSync('dist/looop.mjs', new Date(), new Date());
if (process.env.BUILD_VERBOSE) {
  for (const [file, o] of Object.entries(meta.outputs)) console.log(`${basename(file).padEnd(22)} ${(o.bytes / 1024).toFixed(0).padStart(5)} KiB`);
}

// `looop version` loads dist/looop.mjs alone; the hot verbs (a skipped tick, ls, send, key, flag, unflag,
// claim, _fmt, _cost) live in dist/hot.mjs, which must not contain yargs, zod, zx or execa: those load
// only with the islands that need them. Every module lives in exactly one bundle. Checked on the real
// bundle's metafile, not by timing.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT, makeProfile } from '../helpers/profile.ts';

interface Meta {
  outputs: Record<string, { bytes: number; entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

// KiB per bundle: room to grow, but a dependency landing in the wrong bundle fails here.
const BUDGET_KIB: Record<string, number> = {
  'looop.mjs': 2,
  'hot.mjs': 240,
  'cold.mjs': 230,
  'main.mjs': 60,
  'respond.mjs': 60,
  'config-schema.mjs': 520,
  'git-memory.mjs': 20,
  'manual-text.mjs': 80,
};

const HEAVY = /node_modules\/(yargs|yargs-parser|zod|zx|execa|graceful-fs)\//;
// Runs a worker's verify command (sandbox, process group): loaded only when one is due.
BUDGET_KIB['verify-run.mjs'] = 10;

describe('hot paths stay light', () => {
  const metaPath = join(ROOT, 'dist', 'meta.json');
  const meta: Meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : { outputs: {} };
  const entry = meta.outputs['dist/hot.mjs'];

  it('dist/looop.mjs is the entry alone: version answers without loading anything else', () => {
    const stub = meta.outputs['dist/looop.mjs'];
    assert.ok(stub, 'run npm run build');
    assert.deepEqual(Object.keys(stub.inputs).sort(), ['src/bin.ts', 'src/version.ts']);
    assert.deepEqual(stub.imports.filter((i) => i.kind === 'import-statement' && !/^(node:)?[a-z_]+$/.test(i.path)), []);
  });

  it('dist/hot.mjs is built', () => assert.ok(entry, 'run npm run build'));

  it('carries none of yargs, zod, zx, execa (or graceful-fs)', () => {
    const heavy = Object.keys(entry?.inputs ?? {}).filter((i) => HEAVY.test(i)).map((i) => i.match(HEAVY)![1]);
    assert.deepEqual([...new Set(heavy)], []);
  });

  it('loads nothing else statically: one module for every hot path', () => {
    const statics = (entry?.imports ?? []).filter((i) => i.kind === 'import-statement' && !i.path.startsWith('node:') && !/^[a-z_]+$/.test(i.path));
    assert.deepEqual(statics, []);
  });

  it('contains the tick, the fleet and the fast verbs', () => {
    for (const src of ['src/beat/beat.ts', 'src/beat/sense.ts', 'src/fleet/index.ts', 'src/cli/table.ts', 'src/cli/parse.ts', 'src/cli/send.ts', 'src/cli/ls.ts', 'src/tmux.ts']) {
      assert.ok(src in (entry?.inputs ?? {}), `${src} is in dist/hot.mjs`);
    }
  });

  it('no module is in two bundles (islands borrow shared ones, e.g. errors.ts, from the bundle that has them)', () => {
    const where = new Map<string, string[]>();
    for (const [file, o] of Object.entries(meta.outputs)) {
      // The stub inlines version.ts (one constant) so `looop version` loads nothing else.
      if (file === 'dist/looop.mjs') continue;
      for (const input of Object.keys(o.inputs)) if (!input.startsWith('borrowed:') && !input.startsWith('<stdin>')) where.set(input, [...(where.get(input) ?? []), file]);
    }
    const twice = [...where].filter(([, files]) => files.length > 1).map(([i, files]) => `${i} in ${files.join(', ')}`);
    assert.deepEqual(twice, []);
    const errors = [...where].filter(([i]) => i === 'src/errors.ts');
    assert.deepEqual(errors, [['src/errors.ts', ['dist/hot.mjs']]]);
  });

  it('every bundle stays within its size budget', () => {
    const files = Object.keys(meta.outputs).map((f) => f.replace('dist/', ''));
    for (const f of files) assert.ok(f in BUDGET_KIB, `${f} has a size budget in this test`);
    for (const [file, o] of Object.entries(meta.outputs)) {
      const kib = o.bytes / 1024;
      assert.ok(kib <= BUDGET_KIB[file.replace('dist/', '')]!, `${file} is ${kib.toFixed(0)} KiB, budget ${BUDGET_KIB[file.replace('dist/', '')]} KiB`);
    }
  });

  it('at run time an island throws the hot bundle\'s LooopError and sees CommonJS modules as require() does', () => {
    const url = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', f)).href);
    const script = `await import(${url('hot.mjs')});
const shared = globalThis[Symbol.for('looop.shared')];
const cold = await import(${url('cold.mjs')});
await import(${url('respond.mjs')});
let err; try { await cold.resize({ id: '../x', size: '1x1' }); } catch (e) { err = e; }
const dayjs = Object.entries(shared).find(([k]) => k.includes('dayjs'))?.[1];
console.log(JSON.stringify({ same: err instanceof shared['src/errors.ts'].LooopError, code: err?.exitCode, dayjs: typeof dayjs }));`;
    const p = makeProfile('looop-bundles');
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: p.env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { same: true, code: 1, dayjs: 'function' });
    } finally {
      p.cleanup();
    }
  });

  it('islands are exactly the loadIsland() call sites in src/', async () => {
    const { findIslands } = (await import(join(ROOT, 'scripts', 'build-islands.mjs'))) as { findIslands: () => Record<string, string> };
    const names = Object.keys(findIslands()).map((n) => `dist/${n}.mjs`);
    assert.deepEqual(Object.keys(meta.outputs).filter((f) => f !== 'dist/looop.mjs' && f !== 'dist/hot.mjs').sort(), names.sort());
  });
});

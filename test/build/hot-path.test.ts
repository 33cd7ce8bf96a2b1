// `looop version` loads dist/looop.mjs alone; the hot verbs (a skipped tick, ls, send, key, flag, unflag)
// live in dist/hot.mjs, which must not contain yargs, zod, zx or execa: those load only with the islands
// that need them. Checked on the real bundle's metafile, not by timing.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/profile.ts';

interface Meta {
  outputs: Record<string, { entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

const HEAVY = /node_modules\/(yargs|yargs-parser|zod|zx|execa|graceful-fs)\//;

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
    for (const src of ['src/beat/beat.ts', 'src/beat/sense.ts', 'src/fleet/index.ts', 'src/cli/fast.ts', 'src/tmux.ts']) {
      assert.ok(src in (entry?.inputs ?? {}), `${src} is in dist/hot.mjs`);
    }
  });
});

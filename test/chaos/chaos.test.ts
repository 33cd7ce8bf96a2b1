// The CI-sized chaos run (CHAOS_SCALE=small): every scenario of `npm run chaos` at a few attacks each.
// A broken invariant makes it exit non-zero, and its one-line report shows here.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { cleanEnv } from '../helpers/profile.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('the short chaos run finds no broken invariant', { timeout: 300_000 }, () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'chaos', 'run.ts')], {
    cwd: ROOT,
    env: cleanEnv({ CHAOS_SCALE: 'small' }),
    encoding: 'utf8',
    timeout: 280_000,
  });
  assert.equal(r.status, 0, `chaos run failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /0 broken invariants/);
});

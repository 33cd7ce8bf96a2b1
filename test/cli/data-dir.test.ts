// What a user sees when the data dir itself is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { makeProfile } from '../helpers/profile.ts';

test('a data dir that is a regular file is a clear error for ls and status, not "no workers"', () => {
  const p = makeProfile('looop-datadir');
  try {
    rmSync(p.dataDir, { recursive: true, force: true });
    writeFileSync(p.dataDir, 'not a folder\n');
    for (const verb of [['ls'], ['status']]) {
      const r = p.run(verb);
      assert.notEqual(r.code, 0, `${verb[0]}: ${r.stdout}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /data dir .* is a file, not a folder/);
    }
  } finally {
    p.cleanup();
  }
});

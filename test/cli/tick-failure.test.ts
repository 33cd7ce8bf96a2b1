import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

test('a failed beat is said once: one line on stderr, no copy on stdout (--json keeps its event)', () => {
  const p = makeProfile('looop-tick-fail');
  try {
    const r = scriptedRunner(p);
    p.run(['tick', '--dry-run']);
    const shim = join(p.root, 'shim');
    mkdirSync(shim);
    writeFileSync(join(shim, 'tmux'), '#!/bin/sh\necho "protocol version mismatch" >&2\nexit 1\n', { mode: 0o755 });
    writeFileSync(p.socket, '');
    r.queue({ action: 'noop', reason: 'x' });
    const env = { PATH: `${shim}:${process.env.PATH}` };
    const human = p.run(['tick'], { env });
    assert.equal(human.code, 1);
    assert.equal(human.stderr.trim().split('\n').length, 1, human.stderr);
    assert.match(human.stderr, /^looop: beat failed: .*protocol version mismatch/);
    assert.doesNotMatch(human.stdout, /protocol version mismatch/);
    const json = p.run(['tick', '--json'], { env });
    assert.equal(json.code, 1);
    assert.ok(json.stdout.split('\n').some((l) => l.includes('"event":"failed"')), json.stdout);
    assert.match(json.stderr, /^looop: beat failed: /);
  } finally {
    p.cleanup();
  }
});

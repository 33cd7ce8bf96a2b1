// The fallback socket folder (<tmp>/looop-<uid>, used for long data-dir paths) must be a plain folder,
// owned by us, mode 0700: another local user who made it first cannot block or hijack the profile.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { socketDirProblem, socketPathFor } from '../../src/paths.ts';
import { makeProfile } from '../helpers/profile.ts';

const box = mkdtempSync(join(tmpdir(), 'looop-sockdir-'));
after(() => rmSync(box, { recursive: true, force: true }));
const longData = join(box, 'd'.repeat(120));

function withTmp<T>(fn: () => T): T {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = box;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

test('another user\'s, an open or a symlinked socket folder is refused with one line; our own 0700 one is fine', () => {
  withTmp(() => {
    const sock = socketPathFor(longData);
    const dir = dirname(sock);
    assert.equal(dirname(dir), box);
    assert.equal(socketDirProblem(sock), null, 'absent is fine (it will be made 0700)');
    mkdirSync(dir, { mode: 0o700 });
    assert.equal(socketDirProblem(sock), null);
    chmodSync(dir, 0o777);
    assert.match(socketDirProblem(sock) ?? '', /open to other users \(mode 777\)/);
    if (process.getuid?.() === 0) {
      chmodSync(dir, 0o700);
      chownSync(dir, 65534, 65534);
      assert.match(socketDirProblem(sock) ?? '', /belongs to another user \(uid 65534\)/);
    }
    rmSync(dir, { recursive: true });
    mkdirSync(join(box, 'elsewhere'), { mode: 0o700 });
    symlinkSync(join(box, 'elsewhere'), dir);
    assert.match(socketDirProblem(sock) ?? '', /not a plain folder/);
    rmSync(dir);
  });
});

test('start-session on a profile whose socket folder was taken fails with one clear line', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, () => {
  const p = makeProfile('looop-sock');
  try {
    const env = { TMPDIR: box, LOOOP_DATA_DIR: longData };
    const sock = withTmp(() => socketPathFor(longData));
    mkdirSync(dirname(sock), { mode: 0o777 });
    chmodSync(dirname(sock), 0o777);
    chownSync(dirname(sock), 65534, 65534);
    p.writeConfig({ default: 'sh', runners: { sh: { tick: 'true', interactive: 'bash --norc' } } });
    const r = p.run(['start-session', 'w1', 'hi', 'sh'], { env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /tmux socket folder .* belongs to another user/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  } finally {
    p.cleanup();
  }
});

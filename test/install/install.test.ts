import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cleanEnv } from '../helpers/profile.ts';

// A copy of the checkout (sharing node_modules), so building and linking never touch the real tree.
function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'looop-install-'));
  const checkout = join(root, 'checkout');
  mkdirSync(checkout);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'install.sh', 'scripts', 'src', 'shell', 'completions']) {
    cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true });
  }
  // One link per package inside a real directory: even an `npm ci` here would only unlink them.
  mkdirSync(join(checkout, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(checkout, 'node_modules', entry));
  const home = join(root, 'home');
  const prefix = join(root, 'npm-prefix');
  const fakes = join(root, 'fakes');
  for (const d of [home, prefix, fakes]) mkdirSync(d, { recursive: true });
  const env = cleanEnv({ HOME: home, npm_config_prefix: prefix, npm_config_cache: join(root, 'npm-cache'), LOOOP_INSTALL_NO_PKG: '1' });
  const run = (extra: NodeJS.ProcessEnv = {}) => spawnSync('bash', [join(checkout, 'install.sh')], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 180_000 });
  const fake = (name: string, body: string) => {
    writeFileSync(join(fakes, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(fakes, name), 0o755);
  };
  return { root, checkout, home, prefix, fakes, env, run, fake, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('install.sh in a temp HOME with a temp npm prefix: installs a working looop, puts it on PATH for new shells and this one, is idempotent, and uninstalls', () => {
  const s = sandbox();
  try {
    const first = s.run({ SHELL: '/bin/bash' });
    assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);
    assert.doesNotMatch(first.stdout, /npm ci/, 'a complete dependency tree is not reinstalled');
    assert.match(first.stdout, /^ok: node v\d+/m);
    assert.match(first.stdout, /^ok: tmux \d/m);
    const bin = join(s.prefix, 'bin', 'looop');
    assert.ok(existsSync(bin));
    assert.match(first.stdout, new RegExp(`looop \\S+ installed: ${bin.replace(/[.]/g, '\\.')}`));
    assert.match(first.stdout, /added .* to PATH for new shells \(one line in .*\.profile\)/);
    assert.match(first.stdout, /^Next: looop demo/m);
    const rcs = ['.profile', '.bashrc'].map((f) => readFileSync(join(s.home, f), 'utf8'));
    for (const rc of rcs) assert.equal(rc.match(/looop: puts its bin folder on PATH/g)?.length, 1);
    // A fresh login shell (HOME's .profile) finds looop; so does this shell after sourcing the env file.
    const login = spawnSync('bash', ['-lc', 'looop version'], { env: { ...s.env, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.match(login.stdout, /^looop \d+\.\d+\.\d+/, login.stderr);
    const sourced = spawnSync('sh', ['-c', '. ~/.local/share/looop/env && looop version'], { env: { ...s.env, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.match(sourced.stdout, /^looop \d+\.\d+\.\d+/, sourced.stderr);

    const again = s.run({ SHELL: '/bin/bash' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /already installed .* nothing changed/);
    assert.doesNotMatch(again.stdout, /building|installing looop into|added/);
    for (const f of ['.profile', '.bashrc']) assert.equal(readFileSync(join(s.home, f), 'utf8').match(/looop: puts its bin folder on PATH/g)?.length, 1, `${f}: one line after two runs`);

    const gone = spawnSync('bash', [join(s.checkout, 'install.sh'), '--uninstall'], { env: s.env, encoding: 'utf8' });
    assert.equal(gone.status, 0, gone.stderr);
    assert.ok(!existsSync(bin), 'the command is gone');
    assert.ok(!existsSync(join(s.home, '.local', 'share', 'looop', 'env')));
    for (const f of ['.profile', '.bashrc']) assert.doesNotMatch(readFileSync(join(s.home, f), 'utf8'), /looop/);
    assert.match(gone.stdout, /your loop's files are kept/);
  } finally {
    s.cleanup();
  }
});

test('install.sh falls back to ~/.local when the global npm prefix is not writable', () => {
  const s = sandbox();
  try {
    const r = s.run({ npm_config_prefix: join(s.root, 'does-not-exist', 'prefix') });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(s.home, '.local', 'bin', 'looop')));
  } finally {
    s.cleanup();
  }
});

test('install.sh refuses an old tmux (and says how to get a new one) and an old Node', () => {
  const s = sandbox();
  try {
    s.fake('tmux', 'echo "tmux 2.9"');
    const tmux = s.run({ PATH: `${s.fakes}:${s.env.PATH}` });
    assert.equal(tmux.status, 1);
    assert.match(tmux.stderr, /tmux >= 3\.2 is needed \(found: tmux 2\.9\)\. Install or upgrade it: /);
    rmSync(join(s.fakes, 'tmux'));
    s.fake('node', 'echo v18.19.0');
    const node = s.run({ PATH: `${s.fakes}:${s.env.PATH}` });
    assert.equal(node.status, 1);
    assert.match(node.stderr, /Node\.js >= 20 is needed, found v18\.19\.0/);
    assert.ok(!existsSync(join(s.prefix, 'bin', 'looop')), 'nothing installed');
  } finally {
    s.cleanup();
  }
});

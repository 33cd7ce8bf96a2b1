import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

test('install.sh in a temp HOME with a temp npm prefix: installs a working looop, says what to run next, and is idempotent', () => {
  const s = sandbox();
  try {
    const first = s.run();
    assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);
    assert.doesNotMatch(first.stdout, /npm ci/, 'a complete dependency tree is not reinstalled');
    assert.match(first.stdout, /^ok: node v\d+/m);
    assert.match(first.stdout, /^ok: tmux \d/m);
    const bin = join(s.prefix, 'bin', 'looop');
    assert.ok(existsSync(bin));
    assert.match(first.stdout, new RegExp(`looop \\S+ installed: ${bin.replace(/[.]/g, '\\.')}`));
    assert.match(first.stdout, /is not on your PATH; add it/);
    assert.match(first.stdout, /^Next: looop demo/m);
    const v = spawnSync(bin, ['version'], { env: s.env, encoding: 'utf8' });
    assert.match(v.stdout, /^looop \d+\.\d+\.\d+/);

    const again = s.run({ PATH: `${join(s.prefix, 'bin')}:${s.env.PATH}` });
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /not on your PATH/);
    assert.equal(spawnSync(bin, ['version'], { env: s.env }).status, 0);
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

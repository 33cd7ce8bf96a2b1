// `looop doctor` reads, never writes: crontab and systemctl are PATH stubs that log every call.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile, ROOT, type Profile } from '../helpers/profile.ts';

const profiles: Profile[] = [];
after(() => profiles.forEach((p) => p.cleanup()));

/** A bin dir with crontab and systemctl stubs that only log how they were called. */
function stubs(p: Profile): { bin: string; calls: () => string } {
  const bin = join(p.root, 'stubs');
  mkdirSync(bin, { recursive: true });
  const log = join(p.root, 'stub-calls.log');
  for (const name of ['crontab', 'systemctl']) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n[ "$1" = -l ] && { echo "no crontab for tester" >&2; exit 1; }\nexit 0\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { bin, calls: () => { try { return readFileSync(log, 'utf8'); } catch { return ''; } } };
}

test('doctor without tmux and without the default runner: one fail line each with the fix, exit 1; timers only read', () => {
  const p = makeProfile('looop-doctor');
  profiles.push(p);
  p.writeConfig({ default: 'pi' });
  const s = stubs(p);
  // PATH holds only the stubs: no tmux, no pi, no git, no bwrap
  const r = p.run(['doctor'], { env: { PATH: s.bin } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^fail {2}tmux +tmux is not installed \(not on PATH\) — fix: install tmux >= 3\.2/m);
  assert.match(r.stdout, /^fail {2}runner pi \(default\) +runner "pi": command "pi" not found on PATH .*— fix: install it: npm install -g @mariozechner\/pi-coding-agent$/m);
  assert.match(r.stdout, /^warn {2}sandbox +bwrap \(bubblewrap\) is not installed/m);
  assert.match(r.stdout, /^warn {2}beats +nothing runs beats — fix: start `looop`/m);
  assert.match(r.stdout, /^ok {4}disk +\d+ (GiB|MiB) free/m);
  assert.match(r.stdout, /problem\(s\) to fix/);
  assert.equal(s.calls().trim(), 'crontab -l', 'the crontab was only listed');
  const j = JSON.parse(p.run(['doctor', '--json'], { env: { PATH: s.bin } }).stdout) as { ok: boolean; checks: Array<{ name: string; level: string }> };
  assert.equal(j.ok, false);
  assert.equal(j.checks.find((c) => c.name === 'tmux')?.level, 'fail');
});

test('doctor with real claude 2.1.197 and a fresh HOME: the data dir is not trusted, onboarding not done (warnings, not failures)', () => {
  const p = makeProfile('looop-doctor');
  profiles.push(p);
  p.writeConfig({ default: 'claude' });
  const s = stubs(p);
  const env = { PATH: `${s.bin}:${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ANTHROPIC_API_KEY: 'sk-ant-test-0000000000000000000000000000' };
  const r = p.run(['doctor'], { env });
  assert.match(r.stdout, /^ok {2} {2}tmux +tmux 3\.\d/m);
  assert.match(r.stdout, /^ok {2} {2}runner claude \(default\) +claude 2\.1\.197/m);
  assert.match(r.stdout, new RegExp(`^warn  claude trust +${p.dataDir.replace(/[.]/g, '\\.')} is not trusted: every claude worker stops .* — fix: start claude once in the data dir`, 'm'));
  assert.match(r.stdout, /^warn {2}claude onboarding +not done/m);
  assert.match(r.stdout, /^warn {2}claude API key +ANTHROPIC_API_KEY not approved yet/m);
  assert.match(r.stdout, /^(ok|warn) {2,4}sandbox/m);
  assert.equal(r.code, 0, 'warnings only');
  // trusted and set up: the same checks pass, and ~/.claude.json is never written
  const key = env.ANTHROPIC_API_KEY;
  const state = JSON.stringify({ hasCompletedOnboarding: true, bypassPermissionsModeAccepted: true, customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] }, projects: { [p.dataDir]: { hasTrustDialogAccepted: true } } });
  writeFileSync(join(p.home, '.claude.json'), state);
  const ok = p.run(['doctor'], { env });
  assert.match(ok.stdout, /^ok {4}claude trust/m);
  assert.match(ok.stdout, /^ok {4}claude API key/m);
  assert.equal(readFileSync(join(p.home, '.claude.json'), 'utf8'), state);
  assert.equal(s.calls().split('\n').filter(Boolean).every((l) => l === 'crontab -l'), true);
});

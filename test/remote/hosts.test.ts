// Workers on another host: a real sshd on 127.0.0.1 plays host "loop1", with its own HOME for the remote side.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fleetProfile, lsJson, until } from '../fleet/fixture.ts';
import { type Profile } from '../helpers/profile.ts';
import { hostFor, sshdMissing, type Sshd } from '../helpers/sshd.ts';

const missing = sshdMissing();
let p: Profile;
let sshd: Sshd;

before(async () => {
  if (missing) return;
  p = fleetProfile();
  sshd = await hostFor(p);
  const cfg = JSON.parse(spawnSync('cat', [p.configPath], { encoding: 'utf8' }).stdout);
  p.writeConfig({ ...cfg, hosts: sshd.hosts });
});

after(() => {
  if (missing) return;
  sshd.teardown(p.dataDir);
  p.cleanup();
});

const skip = missing ? `needs a local sshd: ${missing}` : false;

test('a bash worker on host loop1: ls shows both hosts; send, expect, shot, log, flag, kill work', { skip }, async () => {
  let r = p.run(['start-session', 'far', 'a shell over there', 'sh', '--host', 'loop1']);
  assert.equal(r.code, 0, r.stderr);
  r = p.run(['start-session', 'near', 'a shell here', 'sh']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sshd.remoteSockets().length, 1, 'one server on the host, under the folder looop owns');

  const ls = lsJson(p);
  const far = ls.find((w) => w.id === 'far')!;
  const near = ls.find((w) => w.id === 'near')!;
  assert.equal(far.host, 'loop1');
  assert.equal(near.host, undefined);
  const table = p.run(['ls']).stdout;
  assert.match(table, /^ID\s+HOST\s+STATE/m);
  assert.match(table, /^far\s+loop1\s/m);
  assert.match(table, /^near\s+local\s/m);

  // The remote worker's HOME is the remote side's.
  r = p.run(['send', 'far', 'echo "REMOTE-$((6*7))-$HOME"']);
  assert.equal(r.code, 0, r.stderr);
  r = p.run(['expect', 'far', 'REMOTE-42-\\S+', '--timeout', '30']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`REMOTE-42-${sshd.home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  r = p.run(['shot', 'far']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /REMOTE-42/);
  await until('the transcript on the host', () => /REMOTE-42/.test(p.run(['log', 'far']).stdout));

  // A flag raised on the host (by the helper, as a worker would) reaches the local listing.
  r = p.run(['send', 'far', '"$LOOOP_BIN" flag far "need a key"']);
  assert.equal(r.code, 0, r.stderr);
  await until('the remote flag in ls', () => lsJson(p).find((w) => w.id === 'far')?.flag === 'need a key');
  // A lease taken on the host lands in the profile's claims/ (answered when looop reads the fleet: here a beat).
  r = p.run(['send', 'far', '"$LOOOP_BIN" claim deploy2 --note "remote job"; echo "CLAIM-EXIT-$?"']);
  assert.equal(r.code, 0, r.stderr);
  await until('the remote claim answered', () => {
    p.run(['tick', '--force']);
    return /CLAIM-EXIT-0/.test(p.run(['shot', 'far']).stdout);
  });
  assert.match(p.run(['shot', 'far']).stdout, /claimed deploy2 for session far/);
  r = p.run(['claim', 'deploy2', '--session', 'near']);
  assert.notEqual(r.code, 0, 'a lease taken remotely blocks a local claim');
  assert.match(r.stderr, /held by session far/);
  r = p.run(['send', 'far', '"$LOOOP_BIN" release deploy2; echo "RELEASE-EXIT-$?"']);
  await until('the remote release answered', () => {
    p.run(['tick', '--force']);
    return /RELEASE-EXIT-0/.test(p.run(['shot', 'far']).stdout);
  });
  assert.equal(existsSync(join(p.dataDir, 'claims', 'deploy2.json')), false);
  // What needs the profile's files is refused with a clear line.
  r = p.run(['send', 'far', '"$LOOOP_BIN" report x; echo "REPORT-EXIT-$?"']);
  r = p.run(['expect', 'far', 'REPORT-EXIT-2', '--timeout', '30']);
  assert.equal(r.code, 0, r.stderr);

  r = p.run(['kill', 'far']);
  assert.equal(r.code, 0, r.stderr);
  await until('far killed', () => lsJson(p).find((w) => w.id === 'far')?.state === 'killed');
  assert.equal(lsJson(p).find((w) => w.id === 'near')?.state !== 'killed', true);
});

test('a host that stops answering is unreachable within the bound (workers unknown, never lost); it comes back', { skip }, async () => {
  let r = p.run(['start-session', 'far2', 'another shell there', 'sh', '--host', 'loop1']);
  assert.equal(r.code, 0, r.stderr);
  await until('far2 listed', () => lsJson(p).find((w) => w.id === 'far2')?.alive === true);
  sshd.stop();
  // The shared connection died with sshd; the next listing must not wait longer than the bound.
  const t0 = Date.now();
  const ls = lsJson(p);
  const took = Date.now() - t0;
  const far2 = ls.find((w) => w.id === 'far2')!;
  assert.equal(far2.state, 'unknown');
  assert.equal(far2.host, 'loop1');
  assert.ok(
    ls.find((w) => w.id === 'near'),
    'the local worker is still listed',
  );
  assert.ok(took < 20_000, `ls took ${took} ms`);
  // A beat with an unreachable host still runs.
  r = p.run(['tick', '--force']);
  assert.notEqual(r.stderr.includes('unreachable') && r.code !== 0, true, r.stderr);
  // A killed-by-hand attempt is refused while the host is away, rather than forgetting the worker.
  r = p.run(['kill', 'far2']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /does not answer/);

  await sshd.start();
  await until('far2 back', () => lsJson(p).find((w) => w.id === 'far2')?.state !== 'unknown', 30_000);
  r = p.run(['send', 'far2', 'echo BACK-$((1+1))']);
  assert.equal(r.code, 0, r.stderr);
  r = p.run(['expect', 'far2', 'BACK-2', '--timeout', '30']);
  assert.equal(r.code, 0, r.stderr);
});

test("doctor checks the host: reachable, tmux version, the runners' programs", { skip }, () => {
  const r = p.run(['doctor']);
  // The built-in claude and pi runners are not installed on this "host"; bash, stty, cat are.
  assert.match(r.stdout, /(ok|warn)\s+host loop1\s+127\.0\.0\.1: tmux 3\.\d\w*(, runners' programs found|; not installed there: (claude|pi)(, (claude|pi))?)( —|\n)/);
  assert.doesNotMatch(r.stdout, /not installed there: .*\b(bash|stty|true)\b/);
});

test('a lease held by a worker on an unreachable host is not reaped, and blocks a local claim', { skip }, async () => {
  // The lease file as a remote worker's claim leaves it in the profile's claims/.
  p.writeFile('claims/deploy.json', JSON.stringify({ session: 'far2', name: 'deploy', ts: new Date().toISOString() }));
  sshd.stop();
  try {
    await until('far2 unknown', () => lsJson(p).find((w) => w.id === 'far2')?.state === 'unknown');
    const r = p.run(['claim', 'deploy', '--session', 'near']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /held by session far2/);
    p.run(['tick', '--force']);
    assert.ok(existsSync(join(p.dataDir, 'claims', 'deploy.json')), 'the lease stands while its host is away');
  } finally {
    await sshd.start();
  }
});

test('stopping the loop ends remote workers on their host, local ones here', { skip }, async () => {
  let r = p.run(['start-session', 'tr', 'remote shell', 'sh', '--host', 'loop1']);
  assert.equal(r.code, 0, r.stderr);
  r = p.run(['start-session', 'tl', 'local shell', 'sh']);
  assert.equal(r.code, 0, r.stderr);
  await until('both running', () => {
    const ls = lsJson(p);
    return ls.find((w) => w.id === 'tr')?.alive === true && ls.find((w) => w.id === 'tl')?.alive === true;
  });
  const { teardownFleet } = await import('../../src/pulse/teardown.ts');
  const { context } = await import('../../src/context.ts');
  const out = await teardownFleet(context(p.env), { pulse: false, reason: 'test stop', graceMs: 500 });
  assert.ok(out.workers.includes('tr') && out.workers.includes('tl'));
  await until('both killed', () => {
    const ls = lsJson(p);
    return ls.find((w) => w.id === 'tr')?.state === 'killed' && ls.find((w) => w.id === 'tr')?.pid === null && ls.find((w) => w.id === 'tl')?.state === 'killed';
  });
});

test('--verify on a worker for another host is refused with one line, not dropped', { skip }, () => {
  const r = p.run(['start-session', 'vr', 'x', 'sh', '--host', 'loop1', '--verify', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--verify is not available for a worker on another host/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('an unknown host is refused with one line', { skip }, () => {
  const r = p.run(['start-session', 'nowhere', 'x', 'sh', '--host', 'nope']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown host "nope" \(configured: loop1\)/);
});

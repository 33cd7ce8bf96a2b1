// The pure parts of workers on other hosts: config, ssh options, lease requests, the HOST column,
// the host listing's parts and clock, states from the events read with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigFile } from '../../src/config-schema.ts';
import { layout, sshControlPath } from '../../src/paths.ts';
import { parseLeaseRequest, profileKey, remoteClaudeSettings, remoteOf, sshOptions } from '../../src/fleet/remote.ts';
import { fleetTable } from '../../src/fleet/format.ts';
import { clockSkew, parseRow } from '../../src/fleet/windows.ts';
import { perceive } from '../../src/fleet/perceive.ts';
import { writeRecord } from '../../src/fleet/record.ts';
import { attachArgv, attachCommand, parseHostListing, TAIL_BYTES } from '../../src/tmux.ts';
import type { WorkerInfo } from '../../src/fleet/types.ts';

test('hosts in the config: ssh destination, port, identity; anything else is refused with the key named', () => {
  const ok = parseConfigFile({ hosts: { build1: { ssh: 'me@build1', port: 2222, identity: '~/.ssh/id_ed25519' } } });
  assert.equal(ok.ok, true);
  const bad = parseConfigFile({ hosts: { build1: { ssh: '-oProxyCommand=evil' } } });
  assert.equal(bad.ok, false);
  assert.match((bad as { problem: string }).problem, /hosts\.build1\.ssh/);
  assert.equal(parseConfigFile({ hosts: { b: { ssh: 'x', user: 'y' } } }).ok, false);
  assert.equal(parseConfigFile({ hosts: { 'bad name': { ssh: 'x' } } }).ok, false);
});

test('ssh shares one connection per host under the data dir, never prompts, bounds the connect', () => {
  const paths = layout('/tmp/d');
  const o = sshOptions(paths, 'build1', { ssh: 'me@b', port: 2222, identity: '/k' }, {});
  const s = o.join(' ');
  assert.match(s, /ControlMaster=auto/);
  assert.match(s, /ControlPersist=300/);
  assert.match(s, new RegExp(`ControlPath=${paths.sshControl('build1')}`));
  assert.match(s, /BatchMode=yes/);
  assert.match(s, /ConnectTimeout=\d+/);
  assert.deepEqual(o.slice(o.indexOf('-p'), o.indexOf('-p') + 2), ['-p', '2222']);
  assert.ok(o.includes('-i') && o.includes('/k'));
  assert.deepEqual(sshOptions(paths, 'b', { ssh: 'x' }, { LOOOP_SSH_CONFIG: '/c' }).slice(0, 2), ['-F', '/c']);
});

test('the control socket path stays short enough for a Unix socket, even for a long data dir', () => {
  assert.ok(sshControlPath('/tmp/d', 'h').startsWith('/tmp/d/.ssh/'));
  const long = sshControlPath('/tmp/' + 'x'.repeat(120), 'h');
  assert.ok(Buffer.byteLength(long) + 20 < 100, long);
  assert.notEqual(sshControlPath('/tmp/d', 'a'), sshControlPath('/tmp/d', 'b'));
  assert.notEqual(profileKey('/a'), profileKey('/b'));
});

test('lease requests from a host: claim/release, nonce, optional ttl and note; anything else is malformed', () => {
  assert.deepEqual(parseLeaseRequest('claim 12.34 - deploy'), { verb: 'claim', nonce: '12.34', name: 'deploy' });
  assert.deepEqual(parseLeaseRequest('claim n 600 deploy the prod box'), { verb: 'claim', nonce: 'n', ttlS: 600, name: 'deploy', note: 'the prod box' });
  assert.deepEqual(parseLeaseRequest('release n - deploy'), { verb: 'release', nonce: 'n', name: 'deploy' });
  assert.equal(parseLeaseRequest('rm n - x'), null);
  assert.equal(parseLeaseRequest('claim n abc x'), null);
});

test('attach to a remote worker goes through ssh -t with the same tmux argv', () => {
  const r = remoteOf({ host: 'b', ssh: ['-p', '22'], dest: 'me@b', dir: '/home/me/.looop-remote/k', tmux: 'tmux 3.4' });
  const argv = attachArgv(r, '@3');
  assert.deepEqual(argv.slice(0, 5), ['ssh', '-t', '-p', '22', 'me@b']);
  assert.equal(argv[5], "tmux -u -S /home/me/.looop-remote/k/tmux.sock select-window -t @3 ';' attach-session -t =looop");
  assert.match(attachCommand(r), /ssh -t -p 22 me@b/);
});

test('ls shows a HOST column once any worker runs elsewhere; unknown workers are listed', () => {
  const w = (id: string, o: Partial<WorkerInfo> = {}): WorkerInfo => ({ id, state: 'working', source: 'tmux', alive: true, exit_code: null, flag: null, age_s: 5, idle_s: 1, pid: 1, ...o });
  assert.doesNotMatch(fleetTable([w('a')]), /HOST/);
  const t = fleetTable([w('a'), w('b', { host: 'build1', state: 'unknown', alive: false, pid: null })]);
  assert.match(t, /^ID\s+HOST\s+STATE/m);
  assert.match(t, /^a\s+local\s+working/m);
  assert.match(t, /^b\s+build1\s+unknown/m);
});

test("a host listing: windows, sizes of the workers' files, one tail of the changed ones, screens", () => {
  const m = '__looop_abc__';
  const long = 'x'.repeat(10) + '\n{"ts":2,"ev":"Stop"}\n';
  const out = [
    'looop\t@1\t%1\tw1\n',
    `${m}LIST\n`,
    `${m}C 1700000000\n`,
    `${m}F w1/events.jsonl 21 +\n`,
    `${m}F w1/status.json 7 =\n`,
    `${m}F w2/events.jsonl ${TAIL_BYTES + 5} +\n`,
    `${m}F w2/status.json 3 +\n`,
    `${m}T\n`,
    '==> w1/events.jsonl <==\n{"ts":1,"ev":"Stop"}\n',
    `\n==> w2/events.jsonl <==\n${long}`,
    // A file without a last newline, then the /dev/null that ends every tail.
    '\n==> w2/status.json <==\n{}x',
    '\n==> /dev/null <==\n',
    `${m}S 1\n$ screen one\n`,
    `${m}S 2\nscreen two\n`,
  ].join('');
  const got = parseHostListing(out, m);
  assert.equal(got.list, 'looop\t@1\t%1\tw1\n');
  assert.deepEqual(got.tails.get('w1/events.jsonl'), { size: 21, text: '{"ts":1,"ev":"Stop"}\n' });
  assert.deepEqual(got.tails.get('w1/status.json'), { size: 7, text: null });
  // A tail that starts mid-file loses its first, partial line.
  assert.deepEqual(got.tails.get('w2/events.jsonl'), { size: TAIL_BYTES + 5, text: '{"ts":2,"ev":"Stop"}\n' });
  assert.deepEqual(got.tails.get('w2/status.json'), { size: 3, text: '{}x' });
  assert.equal(got.screens.get('%1'), '$ screen one\n');
  assert.equal(got.screens.get('%2'), 'screen two\n');
  assert.equal(got.clock, 1700000000);
});

test("a host's clock: a second or two apart is the round trip; more is skew, added to the host's times", () => {
  assert.equal(clockSkew(1000, 999), 0);
  assert.equal(clockSkew(1000, 1002), 0);
  assert.equal(clockSkew(1000, 940), 60);
  assert.equal(clockSkew(1000, 1030), -30);
});

test('a host worker reads its signals beside its prompt: the listing knows where, claude settings point there', () => {
  const s = { host: 'b', ssh: [], dest: 'me@b', dir: '/home/me/.looop-remote/k', tmux: 'tmux 3.4' };
  assert.deepEqual(remoteOf(s).tails, { dir: '/home/me/.looop-remote/k/sessions', files: ['events.jsonl', 'status.json'] });
  const settings = JSON.parse(remoteClaudeSettings(s, 'w1'));
  assert.match(settings.hooks.Stop[0].hooks[0].command, />> \/home\/me\/\.looop-remote\/k\/sessions\/w1\/events\.jsonl$/);
  assert.match(settings.statusLine.command, /\/home\/me\/\.looop-remote\/k\/sessions\/w1\/status\.json$/);
});

test("a host worker's state comes from the events read with the listing, its host's clock read in ours", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-hostev-'));
  try {
    const paths = layout(dir);
    const now = Math.floor(Date.now() / 1000);
    mkdirSync(paths.session('hw'), { recursive: true });
    writeRecord(paths, { id: 'hw', runner: 'claude', cli: 'claude', command: 'claude', cwd: '/', prompt_file: '/p', started_at: now - 30, host: 'b', live: true });
    const fields = ['looop', '@1', '%1', 'hw', 'worker', '0', '', '', '', String(now - 10), String(now - 30), '1', '0', '/dev/pts/9', 'claude', '', '', '0', '', '/', '', '', ''];
    const row = parseRow(fields.join('\t'), now)!;
    const server = remoteOf({ host: 'b', ssh: [], dest: 'b', dir: '/h/.looop-remote/k', tmux: 'tmux 3.4' });
    // The host's clock is 60 s behind ours: its hooks stamped the turn 80 and 70 s "ago".
    const tails = { 'events.jsonl': `{"ts":${now - 80},"src":"claude","ev":"UserPromptSubmit"}\n{"ts":${now - 70},"src":"claude","ev":"Stop","e":{"last_assistant_message":"done there"}}\n` };
    Object.assign(row, { server, host: 'b', screen: 'some output\n', tails, skew: 60 });
    const [seen] = await perceive({ paths, env: {} }, [row], { write: false, now });
    assert.equal(seen!.p.state, 'waiting');
    assert.equal(seen!.p.source, 'hooks');
    assert.equal(seen!.p.since, now - 10);
    assert.equal(seen!.events.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Verified workers: a worker's verify command runs once when it is done (exit, `looop done`), read-only
// in a sandbox with a timeout; its result is part of the worker's state in ls, sys-sessions and the
// prompt, and a change in it wakes the decider.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner, type ScriptedRunner } from '../helpers/runner.ts';
import { RUNNERS, lsJson, until } from './fixture.ts';

function verifyProfile(extra: Record<string, unknown> = {}): { p: Profile; r: ScriptedRunner } {
  const p = makeProfile('looop-verify');
  const r = scriptedRunner(p);
  p.writeConfig({ default: 'scripted', runners: { scripted: { tick: join(r.dir, 'runner.sh') }, ...RUNNERS }, ...extra });
  p.run(['tick', '--dry-run']);
  return { p, r };
}

const worker = (p: Profile, id: string) => lsJson(p).find((w) => w.id === id) as Record<string, any> | undefined;

function tick(p: Profile) {
  const res = p.run(['tick'], { timeoutMs: 90_000 });
  assert.ok(res.code === 0 || res.code === 1, `tick exited ${res.code}: ${res.stderr}`);
  return res;
}

function start(p: Profile, id: string, verify: string, runner = 'sh') {
  const res = p.run(['start-session', id, 'do the work', runner, '--verify', verify]);
  assert.equal(res.code, 0, res.stderr);
}

async function exitWorker(p: Profile, id: string) {
  assert.equal(p.run(['send', id, 'exit 0']).code, 0);
  await until(`${id} exited`, () => worker(p, id)?.state === 'exited');
}

describe('a worker whose verify fails', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => ({ p, r } = verifyProfile()));
  after(() => p.cleanup());

  it('shows `verify failed` with the tail, is an inbox record, and the next tick decides with the failure in its prompt', async () => {
    start(p, 'pr', 'echo checking the PR; test -f pr-ok || { echo "no PR for branch fix-ci" >&2; exit 2; }');
    r.queue({ action: 'noop', reason: 'worker started' });
    tick(p);
    assert.equal(r.calls(), 1);
    assert.equal(worker(p, 'pr')!.verify, undefined, 'nothing verified while it works');

    await exitWorker(p, 'pr');
    r.queue({ action: 'noop', reason: 'saw the failure' });
    const decided = tick(p);
    assert.equal(r.calls(), 2, decided.stdout);
    const prompt = r.prompts().at(-1)!;
    assert.match(prompt, /"verify":\s*"failed"/);
    assert.match(prompt, /no PR for branch fix-ci/);

    const w = worker(p, 'pr')!;
    assert.equal(w.verify.status, 'failed');
    assert.equal(w.verify.exit_code, 2);
    assert.match(w.verify.tail, /checking the PR\nno PR for branch fix-ci/);
    const table = p.run(['ls']).stdout;
    assert.match(table, /pr\s+exited verify failed\s+0/);
    assert.match(table, /✗ no PR for branch fix-ci/);
    const inbox = readFileSync(join(p.dataDir, 'inbox.jsonl'), 'utf8');
    assert.match(inbox, /"kind":"verify_failed".*pr: verify failed: no PR for branch fix-ci/);

    // Run once: a quiet world after that does not run it again.
    const started = JSON.parse(readFileSync(join(p.dataDir, 'sessions/pr/verify.json'), 'utf8')).started;
    assert.match(tick(p).stdout, /skip: world unchanged/);
    assert.equal(r.calls(), 2);
    assert.equal(JSON.parse(readFileSync(join(p.dataDir, 'sessions/pr/verify.json'), 'utf8')).started, started);
  });

  it('`looop verify <id>` re-runs it by hand (exit 1 failed, 0 verified), and the new result wakes the decider', () => {
    const failed = p.run(['verify', 'pr']);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /^pr verify failed \(.*exit 2\)\nchecking the PR\nno PR for branch fix-ci\n$/);
    assert.match(tick(p).stdout, /skip: world unchanged/, 'the same failure again is no news');

    // The check reads the worker's directory: what it finds there decides.
    writeFileSync(join(p.dataDir, 'pr-ok'), '');
    const passed = p.run(['verify', 'pr', '--json']);
    assert.equal(passed.code, 0, passed.stderr);
    assert.deepEqual(JSON.parse(passed.stdout), { id: 'pr', status: 'verified', exit_code: 0, tail: 'checking the PR\n' });
    r.queue({ action: 'noop', reason: 'verified now' });
    tick(p);
    assert.equal(r.calls(), 3, 'the new result is a change in the world');
    assert.match(r.prompts().at(-1)!, /"verify":\s*"verified"/);
    const none = p.run(['verify', 'nope']);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no worker "nope"/);
  });
});

describe('verify results', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => ({ p, r } = verifyProfile({ verify_timeout: 2, run_shell_deny: ['curl '] })));
  after(() => p.cleanup());

  it('a passing verify shows `verified`', async () => {
    writeFileSync(join(p.dataDir, 'REPORT.md'), 'done\n');
    start(p, 'ok', 'test -s REPORT.md && echo report written');
    await exitWorker(p, 'ok');
    r.queue({ action: 'noop', reason: 'verified' });
    tick(p);
    const w = worker(p, 'ok')!;
    assert.deepEqual(w.verify, { status: 'verified', exit_code: 0, tail: 'report written\n' });
    assert.match(p.run(['ls']).stdout, /ok\s+exited verified/);
    assert.match(r.prompts().at(-1)!, /"verify":\s*"verified"/);
  });

  it('a verify that hangs is killed at its timeout and reported as failed', async () => {
    start(p, 'hang', 'echo started; sleep 4711');
    await exitWorker(p, 'hang');
    r.queue({ action: 'noop' });
    const res = tick(p);
    const w = worker(p, 'hang')!;
    assert.ok(w.verify, res.stdout + res.stderr);
    assert.equal(w.verify.status, 'failed');
    assert.equal(w.verify.exit_code, 124);
    assert.match(w.verify.tail, /started\nverify timed out after 2s$/);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /^sleep 4711/.test(l.trim()));
    assert.deepEqual(left, [], 'the hung command is gone');
  });

  it("runs read-only in the worker's directory: it cannot change what it checks", async () => {
    start(p, 'ro', 'pwd; touch made-by-verify && echo wrote');
    await exitWorker(p, 'ro');
    r.queue({ action: 'noop' });
    tick(p);
    const w = worker(p, 'ro')!;
    assert.equal(w.verify.status, 'failed', w.verify.tail);
    assert.match(w.verify.tail, new RegExp(`^${p.dataDir}\n`));
    assert.match(w.verify.tail, /Read-only file system/);
    assert.equal(existsSync(join(p.dataDir, 'made-by-verify')), false);
  });

  it("run_shell's deny rules hold for a verify command too", async () => {
    start(p, 'denied', 'curl -fsS https://example.com/ok');
    await exitWorker(p, 'denied');
    r.queue({ action: 'noop' });
    tick(p);
    const w = worker(p, 'denied')!;
    assert.equal(w.verify.status, 'failed');
    assert.match(w.verify.tail, /^verify refused by deny rule .*curl /);
  });

  it('`looop done` runs it for a worker that keeps running, once', async () => {
    start(p, 'keeps', 'echo looks good');
    // From inside the worker, like `flag`: its own $LOOOP_SESSION_ID.
    assert.equal(p.run(['send', 'keeps', '"$LOOOP_BIN" done']).code, 0);
    await until('done noted', () => existsSync(join(p.dataDir, 'sessions/keeps/done')));
    r.queue({ action: 'noop' });
    tick(p);
    const w = worker(p, 'keeps')!;
    assert.equal(w.alive, true);
    assert.equal(w.verify.status, 'verified');
    assert.match(p.run(['ls']).stdout, /keeps\s+\w+ verified/);
    const first = JSON.parse(readFileSync(join(p.dataDir, 'sessions/keeps/verify.json'), 'utf8')).started;
    tick(p);
    assert.equal(JSON.parse(readFileSync(join(p.dataDir, 'sessions/keeps/verify.json'), 'utf8')).started, first, 'not again without a new done');
  });

  it('a worker without a verify command has no verify result; `looop verify` says why', () => {
    assert.equal(p.run(['start-session', 'plain', 'x', 'sh']).code, 0);
    const res = p.run(['verify', 'plain']);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /has no verify command/);
    assert.equal(worker(p, 'plain')!.verify, undefined);
  });
});

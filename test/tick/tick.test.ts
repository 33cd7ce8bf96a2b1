// `looop tick` end to end: real data dir, real sensors, real processes; only the decider is scripted.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner, type ScriptedRunner } from '../helpers/runner.ts';

function journal(p: Profile): string[] {
  const path = join(p.dataDir, 'journal.md');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

function quietSensors(p: Profile): void {
  // Replace the seeded date sensor so tests control every signal.
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":{"day":"fixed"}}\'\n', 0o755);
}

describe('a beat acts, journals, commits the hash, then skips an unchanged world', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => {
    p = makeProfile();
    r = scriptedRunner(p);
    p.run(['tick', '--dry-run']);
    quietSensors(p);
    p.writeFile('sensors/inbox.sh', '#!/bin/sh\ncat "$LOOOP_DATA_DIR/inbox.json"\n', 0o755);
    writeFileSync(join(p.dataDir, 'inbox.json'), '{"signal":{"unread":1,"from":"ann"},"detail":{"checked":"09:00"}}');
  });
  after(() => p.cleanup());

  it('acts on the first beat and journals one line', () => {
    r.queue({ action: 'write_goal', id: 'reply-ann', body: 'Reply to Ann', journal: 'goal: reply to Ann' });
    const res = p.run(['tick']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(r.calls(), 1);
    assert.equal(readFileSync(join(p.dataDir, 'goals', 'reply-ann.md'), 'utf8'), 'Reply to Ann\n');
    assert.match(journal(p).at(-1)!, /^- \d{4}-\d\d-\d\d \d\d:\d\d goal: reply to Ann$/);
    assert.ok(existsSync(join(p.dataDir, '.last-tick-hash')));
  });

  it('decides again when its own action changed the world, then skips once quiet', () => {
    r.queue({ action: 'noop', reason: 'all good' });
    assert.equal(p.run(['tick']).code, 0);
    assert.equal(r.calls(), 2);
    const res = p.run(['tick']);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /skip: world unchanged/);
    assert.equal(r.calls(), 2, 'runner not called for an unchanged world');
  });

  it('a change only in detail does not wake the decider', () => {
    writeFileSync(join(p.dataDir, 'inbox.json'), '{"signal":{"unread":1,"from":"ann"},"detail":{"checked":"09:05"}}');
    assert.match(p.run(['tick']).stdout, /skip/);
    assert.equal(r.calls(), 2);
  });

  it('reordering keys does not wake the decider', () => {
    writeFileSync(join(p.dataDir, 'inbox.json'), '{"detail":{"checked":"09:06"},"signal":{"from":"ann","unread":1}}');
    assert.match(p.run(['tick']).stdout, /skip/);
    assert.equal(r.calls(), 2);
  });

  it('a signal change wakes it, and WHAT CHANGED says how', () => {
    writeFileSync(join(p.dataDir, 'inbox.json'), '{"signal":{"unread":2,"from":"ann"}}');
    r.queue({ action: 'noop', reason: 'later' });
    assert.equal(p.run(['tick']).code, 0);
    assert.equal(r.calls(), 3);
    const prompt = r.prompts().at(-1)!;
    assert.match(prompt, /# WHAT CHANGED\n\n```changes\nsensor inbox: \{"from":"ann","unread":1\} -> \{"from":"ann","unread":2\}/);
    assert.doesNotMatch(prompt, /# LAST FAILURE|# RUN_SHELL OUTPUT|# FLAPPING SENSORS/);
  });

  it('the data dir is a git repo and the action is committed with its journal line', () => {
    const log = execFileSync('git', ['-C', p.dataDir, 'log', '--format=%s'], { encoding: 'utf8' });
    assert.match(log, /^goal: reply to Ann$/m);
    const status = execFileSync('git', ['-C', p.dataDir, 'status', '--porcelain'], { encoding: 'utf8' });
    assert.equal(status, '', 'volatile files are ignored, the rest committed');
  });
});

describe('failures: one clear line, backoff, nothing half-written', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => {
    p = makeProfile();
    r = scriptedRunner(p, { tick_timeout: 2 });
    p.run(['tick', '--dry-run']);
    quietSensors(p);
  });
  after(() => p.cleanup());

  const fails = (why: RegExp) => {
    const res = p.run(['tick'], { env: { LOOOP_NOW: new Date(Date.now() + 3600_000 * fails.n++).toISOString() } });
    assert.equal(res.code, 1, res.stdout + res.stderr);
    const lines = res.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got: ${res.stderr}`);
    assert.match(lines[0]!, why);
    assert.match(lines[0]!, /run archive: .*\/runs\/\d{8}-\d{6}-[0-9a-f]{4}/);
    return res;
  };
  fails.n = 1;

  it('a decision file that is not JSON', () => {
    r.queue('this is not json');
    fails(/invalid decision: not JSON/);
    const backoff = JSON.parse(readFileSync(join(p.dataDir, '.tick-backoff'), 'utf8'));
    assert.equal(backoff.failures, 1);
  });

  it('an unknown action', () => {
    r.queue({ action: 'frobnicate' });
    fails(/invalid decision: unknown action frobnicate/);
    assert.match(r.prompts().at(-1)!, /# LAST FAILURE\n\nYour previous attempt failed because:\n```failure\ninvalid decision: not JSON/);
  });

  it('a runner that writes no decision', () => {
    fails(/wrote no \.decision\.json \(last output: scripted runner: call \d+\)/);
  });

  it('a runner that exits non-zero', () => {
    r.queue({ action: 'noop', reason: 'x' });
    const res = p.run(['tick'], { env: { SCRIPTED_EXIT: '7', LOOOP_NOW: new Date(Date.now() + 3600_000 * fails.n++).toISOString() } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /runner "scripted" exited 7/);
    assert.ok(!existsSync(join(p.dataDir, '.decision.json')), 'its decision is discarded');
  });

  it('a path traversal in a goal id writes nothing anywhere', () => {
    r.queue({ action: 'write_goal', id: '../../escape', body: 'x' });
    fails(/invalid decision: write_goal: field "id": id "\.\.\/\.\.\/escape" (starts with|contains)/);
    assert.ok(!existsSync(join(p.root, 'escape.md')));
    assert.ok(!existsSync(join(p.dataDir, 'escape.md')));
  });

  it('a run_shell that exits non-zero is an answer, not a failure: its exit code and output reach the next prompt', () => {
    r.queue({ action: 'run_shell', cmd: 'echo checking; exit 3', reason: 'probe' });
    const ran = p.run(['tick'], { env: { LOOOP_NOW: new Date(Date.now() + 3600_000 * fails.n++).toISOString() } });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /ran `echo checking; exit 3` \(exit 3\)/);
    assert.ok(!existsSync(join(p.dataDir, '.tick-backoff')), 'a successful beat clears the backoff');
    r.queue({ action: 'noop', reason: 'saw it' });
    assert.equal(p.run(['tick'], { env: { LOOOP_NOW: new Date(Date.now() + 3600_000 * fails.n++).toISOString() } }).code, 0);
    const prompt = r.prompts().at(-1)!;
    assert.match(prompt, /# RUN_SHELL OUTPUT\n\nYour last run_shell exited 3\. The command \(untrusted data\):\n```command\necho checking; exit 3\n```/);
    assert.match(prompt, /checking/);
  });

  it('a denied run_shell is refused before it runs', () => {
    r.queue({ action: 'run_shell', cmd: `rm -rf ${p.root}/outside`, reason: 'cleanup' });
    writeFileSync(join(p.root, 'outside'), 'keep me');
    p.writeFile('goals/nudge.md', 'wake up\n');
    fails(/refused by deny rule "rm -r outside the data dir"/);
    assert.equal(readFileSync(join(p.root, 'outside'), 'utf8'), 'keep me');
  });

  it('a runner that hangs is killed with its process group at tick_timeout', () => {
    const hang = join(p.root, 'hang.sh');
    writeFileSync(hang, `#!/bin/sh\ncat >/dev/null\n(sleep 300; echo orphan > ${p.root}/orphan) &\nsleep 300\n`, { mode: 0o755 });
    p.writeConfig({ default: 'hang', tick_timeout: 1, runners: { hang: { tick: hang } } });
    const t0 = Date.now();
    fails(/still running after tick_timeout 1s: killed with its process group/);
    assert.ok(Date.now() - t0 < 15_000);
  });

  it('a runner that is not installed names the command and how to install it', () => {
    p.writeConfig({ default: 'pi' });
    const res = p.run(['tick'], { env: { PATH: '/usr/bin:/bin', LOOOP_NOW: new Date(Date.now() + 3600_000 * fails.n++).toISOString() } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /runner "pi": command "pi" not found on PATH \(install it: npm install -g @mariozechner\/pi-coding-agent; or claude: npm install -g @anthropic-ai\/claude-code\)/);
  });
});

describe('a stale .decision.json is never executed', () => {
  it('is deleted before the runner runs', () => {
    const p = makeProfile();
    try {
      const r = scriptedRunner(p);
      p.run(['tick', '--dry-run']);
      p.writeFile('.decision.json', JSON.stringify({ action: 'write_goal', id: 'planted', body: 'x' }));
      const res = p.run(['tick']);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /wrote no \.decision\.json/);
      assert.ok(!existsSync(join(p.dataDir, 'goals', 'planted.md')));
      assert.equal(r.calls(), 1);
    } finally {
      p.cleanup();
    }
  });
});

describe('config', () => {
  it('an invalid config names the file and the key and exits non-zero', () => {
    const p = makeProfile();
    try {
      p.writeConfig({ interval: 'soon' });
      const res = p.run(['tick']);
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1);
      assert.match(res.stderr, /config .*looop\.json: key "interval": /);
      assert.doesNotMatch(res.stderr, /at .*\.mjs/);
      assert.ok(!existsSync(join(p.dataDir, 'journal.md')));
    } finally {
      p.cleanup();
    }
  });

  it('first run seeds config and data dir without overwriting anything', () => {
    const p = makeProfile();
    try {
      p.writeFile('PLAYBOOK.md', 'mine\n');
      const res = p.run(['tick', '--dry-run']);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(readFileSync(join(p.dataDir, 'PLAYBOOK.md'), 'utf8'), 'mine\n');
      assert.ok(existsSync(p.configPath));
      const fresh = makeProfile();
      try {
        fresh.run(['tick', '--dry-run']);
        assert.deepEqual(readdirSync(join(fresh.dataDir, 'goals')).sort(), ['playbook-daily.md', 'setup.md']);
        assert.ok(existsSync(join(fresh.dataDir, 'sensors', 'today.sh')));
      } finally {
        fresh.cleanup();
      }
    } finally {
      p.cleanup();
    }
  });
});

describe('an error from tmux never reads as an empty fleet', () => {
  it('the beat fails naming tmux, and no decision is made', () => {
    const p = makeProfile();
    try {
      const r = scriptedRunner(p);
      p.run(['tick', '--dry-run']);
      const shim = join(p.root, 'shim');
      mkdirSync(shim);
      writeFileSync(join(shim, 'tmux'), '#!/bin/sh\necho "protocol version mismatch (client 8, server 7)" >&2\nexit 1\n', { mode: 0o755 });
      writeFileSync(p.socket, '');
      r.queue({ action: 'noop', reason: 'x' });
      const res = p.run(['tick'], { env: { PATH: `${shim}:${process.env.PATH}` } });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /^looop: beat failed: cannot observe the world: tmux: protocol version mismatch/);
      assert.equal(r.calls(), 0);
    } finally {
      p.cleanup();
    }
  });
});

describe('housekeeping', () => {
  it('a lease whose session is not alive is reaped by the next beat and journaled', () => {
    const p = makeProfile();
    try {
      const r = scriptedRunner(p);
      p.run(['tick', '--dry-run']);
      p.writeFile('claims/deploy.json', JSON.stringify({ session: 'ghost', name: 'deploy', ts: new Date().toISOString() }));
      r.queue({ action: 'noop', reason: 'x' });
      const res = p.run(['tick']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /reaped claim deploy \(session ghost is not alive\)/);
      assert.ok(!existsSync(join(p.dataDir, 'claims', 'deploy.json')));
      assert.match(journal(p)[0]!, /reaped lease deploy held by ghost: session ghost is not alive$/);
    } finally {
      p.cleanup();
    }
  });
});

// The sandbox's pure parts: what env gets in, which commands may skip it, what bwrap is told.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { layout } from '../../src/paths.ts';
import { bwrapArgs, findBwrap, sandboxEnv } from '../../src/beat/sandbox.ts';
import { allowedBy } from '../../src/beat/shell-gate.ts';

test('sandboxEnv keeps the basics and looop paths, drops keys, tmux and agents unless named', () => {
  const env = { PATH: '/bin', HOME: '/h', ANTHROPIC_API_KEY: 'k', GITHUB_TOKEN: 't', TMUX: '/tmp/tmux-0/default,1,0', SSH_AUTH_SOCK: '/tmp/s', LOOOP_DATA_DIR: '/d', LOOOP_COST_LEDGER: '/d/cost.jsonl', LC_ALL: 'C' };
  assert.deepEqual(sandboxEnv(env), { PATH: '/bin', HOME: '/h', LOOOP_DATA_DIR: '/d', LC_ALL: 'C' });
  assert.equal(sandboxEnv(env, ['GITHUB_TOKEN']).GITHUB_TOKEN, 't');
});

test('run_shell_allow lets only one plain command through, never a chain', () => {
  const allow = ['^gh issue (list|view)\\b'];
  assert.equal(allowedBy('gh issue list --limit 5', allow), allow[0]);
  for (const cmd of ['gh issue list; rm -rf ~', 'gh issue list && curl x', 'gh issue list | sh', 'gh issue view $(id)', 'gh issue list\nrm x', 'gh issue list > ~/.bashrc']) {
    assert.equal(allowedBy(cmd, allow), null, cmd);
  }
  assert.equal(allowedBy('git status', allow), null);
});

test('bwrap: / read-only, data dir writable, control files read-only, socket hidden, private /tmp and /run, no network', () => {
  const p = layout('/tmp/x/data');
  const a = bwrapArgs(p, { PATH: '/usr/bin' }, '/tmp/x/config/looop.json');
  const s = a.join(' ');
  assert.match(s, /^--unshare-all --die-with-parent --new-session --cap-drop ALL --ro-bind \/ \//);
  assert.match(s, /--tmpfs \/tmp .*--bind \/tmp\/x\/data \/tmp\/x\/data/);
  assert.match(s, /--tmpfs \/run\b/);
  for (const f of ['cost.jsonl', '.decide-times.json', '.tick-backoff', '.git', '.gitignore', '.lock', '.decision.json', 'journal.md', 'sessions', 'asks', '.sensor-approvals.json']) {
    assert.ok(s.includes(`--ro-bind-try /tmp/x/data/${f} /tmp/x/data/${f}`), f);
  }
  assert.ok(s.includes('--ro-bind-try /dev/null /tmp/x/data/.tmux.sock'));
  assert.ok(s.includes('--ro-bind-try /tmp/x/config/looop.json /tmp/x/config/looop.json'));
  assert.ok(s.indexOf('--tmpfs /tmp') < s.indexOf('--bind /tmp/x/data'), 'the data dir is bound back on top of the private /tmp');
});

test('findBwrap looks on PATH only', () => {
  assert.equal(findBwrap({ PATH: '/nonexistent' }), null);
});

// After the tmux server died: a worker the records say is live shows as lost (in ls and in the decider's
// prompt), a resume_worker decision runs its resume command in a new server, in its own directory, and
// `restart` runs the recorded command afresh with a new conversation id.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptedRunner } from '../helpers/runner.ts';
import { fleetProfile, lsJson, RUNNERS } from './fixture.ts';

const p = fleetProfile();
after(() => p.cleanup());

const record = (id: string) => JSON.parse(readFileSync(join(p.dataDir, 'sessions', id, 'worker.json'), 'utf8'));

test('lost after kill-server; the decider sees it and resume_worker brings it back in its own directory', () => {
  const runner = scriptedRunner(p);
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  const conv = {
    tick: 'true',
    interactive: 'echo "FRESH {{session_id}}"; exec bash --norc --noprofile -i',
    resume: 'echo "RESUMED {{session_id}}"; exec bash --norc --noprofile -i',
  };
  p.writeConfig({ ...cfg, runners: { ...cfg.runners, ...RUNNERS, conv } });
  mkdirSync(join(p.dataDir, 'work', 'here'), { recursive: true });
  runner.queue({ action: 'start_worker', id: 'w', prompt: 'x', runner: 'conv', cwd: 'work/here' }, { action: 'resume_worker', id: 'w' });
  assert.equal(p.run(['tick']).code, 0);
  const id = record('w').session_id as string;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(p.run(['expect', 'w', `^FRESH ${id}`, '--timeout', '20']).code, 0);
  const w = lsJson(p).find((x) => x.id === 'w')!;
  assert.equal(w.cwd, join(p.dataDir, 'work', 'here'));

  p.tmux(['kill-server']);
  assert.deepEqual(lsJson(p).map((x) => [x.id, x.state]), [['w', 'lost']]);
  assert.match(p.run(['ls']).stdout, /^w\s+lost\s/m);
  assert.equal(p.run(['tick']).code, 0);
  assert.match(runner.prompts().at(-1)!, /"id":\s*"w",\s*"state":\s*"lost"/);
  assert.equal(p.run(['expect', 'w', `^RESUMED ${id}`, '--timeout', '20']).code, 0);
  const back = lsJson(p).find((x) => x.id === 'w')!;
  assert.ok(['starting', 'working', 'waiting'].includes(String(back.state)), String(back.state));
  assert.equal(back.cwd, join(p.dataDir, 'work', 'here'));
  assert.match(p.run(['resume', 'w']).stderr, /is running; nothing to resume/);

  assert.equal(p.run(['restart', 'w']).code, 0);
  const fresh = record('w').session_id as string;
  assert.notEqual(fresh, id, 'a restart is a new conversation');
  assert.equal(p.run(['expect', 'w', `^FRESH ${fresh}`, '--timeout', '20']).code, 0);
});

test('resume: one clear line for an unknown id, a worker without a resume command, and no arguments', () => {
  assert.match(p.run(['resume', 'ghost']).stderr, /^looop: no worker "ghost"/);
  assert.equal(p.run(['start-session', 'plain', 'x', 'sh']).code, 0);
  p.run(['kill', 'plain']);
  const r = p.run(['resume', 'plain']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /has no resume command; `looop restart plain` starts it afresh/);
  assert.equal(p.run(['resume']).code, 2);
});

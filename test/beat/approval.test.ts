// Approval: an ask reaches the person and the next prompt; its `run` executes only after approve,
// exactly once; a sensor the decider wrote does not run before `looop approve sensor`.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { meansAsk } from '../../src/asks.ts';
import { layout } from '../../src/paths.ts';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner, type ScriptedRunner } from '../helpers/runner.ts';

describe('ask, answer, approve, deny; decider-written sensors', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => {
    p = makeProfile('looop-approval');
    r = scriptedRunner(p, { max_decisions_per_hour: 0 });
    assert.equal(p.run(['tick', '--dry-run']).code, 0);
  });
  after(() => p?.cleanup());
  const tick = () => {
    rmSync(join(p.dataDir, '.tick-backoff'), { force: true });
    p.writeFile('goals/nudge.md', `nudge ${Date.now()}\n`);
    return p.run(['tick']);
  };

  it('an ask with run executes only after approve, exactly once, journaled with who approved', { timeout: 60_000 }, () => {
    const marker = join(p.root, 'deployed');
    r.queue({ action: 'ask', question: 'Deploy now?', run: `echo once >> ${marker}` });
    const res = tick();
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout + res.stderr, /asks a1: Deploy now\?.*looop approve a1/);
    assert.ok(!existsSync(marker), 'nothing ran before approval');
    const ask = JSON.parse(readFileSync(join(p.dataDir, 'asks', 'a1.json'), 'utf8'));
    assert.equal(ask.status, 'open');
    // The next prompt carries it; the world changed, so the decider runs again.
    r.queue({ action: 'noop', reason: 'waiting' });
    assert.equal(tick().code, 0);
    assert.match(r.prompts().at(-1)!, /# ASKS AND ANSWERS[\s\S]*a1 open: "Deploy now\?"/);
    const ok = p.run(['approve', 'a1'], { env: { USER: 'alice' } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readFileSync(marker, 'utf8'), 'once\n');
    const again = p.run(['approve', 'a1']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^looop: ask a1 is already approved by alice\n$/);
    assert.equal(readFileSync(marker, 'utf8'), 'once\n', 'exactly once');
    assert.match(readFileSync(join(p.dataDir, 'journal.md'), 'utf8'), /alice approved a1: ran `echo once >> .*` unsandboxed \(exit 0\)/);
    r.queue({ action: 'noop', reason: 'seen' });
    assert.equal(p.run(['tick']).code, 0, 'the approval alone wakes the decider');
    assert.match(r.prompts().at(-1)!, /a1 approved by alice: "Deploy now\?".*exit 0/);
  });

  it('answer and deny', { timeout: 60_000 }, () => {
    r.queue({ action: 'ask', question: 'Which branch?', options: ['main', 'dev'] }, { action: 'ask', question: 'Merge?', run: 'touch merged' });
    assert.equal(tick().code, 0);
    assert.equal(tick().code, 0);
    assert.equal(p.run(['answer', 'a2', 'dev', 'please']).code, 0);
    assert.equal(p.run(['deny', 'a3', 'not yet']).code, 0);
    assert.ok(!existsSync(join(p.dataDir, 'merged')));
    r.queue({ action: 'noop', reason: 'ok' });
    assert.equal(p.run(['tick']).code, 0);
    const prompt = r.prompts().at(-1)!;
    assert.match(prompt, /a2 answered: "Which branch\?" -> "dev please"/);
    assert.match(prompt, /a3 denied by .*"Merge\?"/);
    assert.match(p.run(['answer', 'a9', 'x']).stderr, /^looop: no ask a9\n$/);
  });

  it('a sensor the decider wrote does not run until approved; a later change needs a new approval', { timeout: 60_000 }, () => {
    const ran = join(p.root, 'sensor-ran');
    const script = `#!/bin/sh\necho x >> ${ran}\necho '{"signal":{"v":1}}'\n`;
    r.queue({ action: 'write_sensor', name: 'probe', script });
    const res = tick();
    assert.equal(res.code, 0, res.stderr);
    r.queue({ action: 'noop', reason: 'x' });
    const next = tick();
    assert.match(next.stdout + next.stderr, /sensor probe: pending approval/);
    assert.ok(!existsSync(ran), 'not run before approval');
    assert.match(p.run(['approve', 'sensor', 'probe']).stdout, /approved sensor probe/);
    r.queue({ action: 'noop', reason: 'x' });
    tick();
    assert.ok(existsSync(ran), 'runs after approval');
    r.queue({ action: 'write_sensor', name: 'probe', script: script.replace('v":1', 'v":2') });
    tick();
    const before = readFileSync(ran, 'utf8');
    r.queue({ action: 'noop', reason: 'x' });
    tick();
    assert.equal(readFileSync(ran, 'utf8'), before, 'the changed sensor waits for a new approval');
  });
});

test('approve/deny a3: the ask a3 when there is one, else a worker named a3, else the ask (one clear line)', () => {
  const p = makeProfile('looop-ask-or-worker');
  try {
    const paths = layout(p.dataDir);
    assert.equal(meansAsk(paths, 'a3'), true, 'neither exists: the ask (its error names it)');
    p.writeFile('sessions/a3/worker.json', '{"id":"a3"}\n');
    assert.equal(meansAsk(paths, 'a3'), false, 'a worker named a3 and no such ask: the worker');
    p.writeFile('asks/a3.json', '{"id":"a3"}\n');
    assert.equal(meansAsk(paths, 'a3'), true, 'the ask wins when both exist');
    assert.equal(meansAsk(paths, 'build'), false);
  } finally {
    p.cleanup();
  }
});

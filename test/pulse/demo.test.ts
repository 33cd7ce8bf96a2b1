// `looop demo` runs offline (scripted decider, no LLM): sensor → start_worker → worker flags → the user
// is told how to attach and answer; without a terminal it answers itself and cleans up everything.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { makeProfile } from '../helpers/profile.ts';

const p = makeProfile('looop-demo-test');
after(() => p.cleanup());

test('looop demo --no-wait: a worker raises a flag, the attach and send commands are shown, then all is removed', () => {
  const r = p.run(['demo', '--no-wait'], { env: { TMPDIR: p.root }, timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /start_worker: demo: started demo-worker/);
  assert.match(r.stdout, /⚑ demo-worker is waiting for you: ship the summary\?/);
  assert.match(r.stdout, /tmux -S \S+\.tmux\.sock attach -t looop/);
  assert.match(r.stdout, /send demo-worker yes/);
  assert.match(r.stdout, /demo-worker got the answer, wrote its report and ended its session/);
  assert.match(r.stdout, /demo over/);
  assert.deepEqual(readdirSync(p.root).filter((f) => f.startsWith('looop-demo-')), [], 'temp profile removed');
});

test('non-TTY stdin behaves like --no-wait', () => {
  const r = p.run(['demo'], { env: { TMPDIR: p.root }, timeoutMs: 90_000, input: '' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /no terminal to wait on/);
  assert.deepEqual(readdirSync(p.root).filter((f) => f.startsWith('looop-demo-')), []);
});

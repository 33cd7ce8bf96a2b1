import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context } from '../../src/context.ts';
import { reapClaims } from '../../src/claims/index.ts';
import { viewFleet, livenessFrom } from '../../src/cli/workers-view.ts';
import { makeProfile, type Profile } from '../helpers/profile.ts';

function sleeperProfile(): Profile {
  const p = makeProfile('looop-claim-live');
  p.writeConfig({ default: 'sleeper', runners: { sleeper: { tick: 'true', interactive: 'sleep 300' } } });
  return p;
}

async function reapWithFleet(p: Profile) {
  const ctx = context(p.env);
  const view = await viewFleet(ctx);
  assert.ok(view.ok, view.ok ? '' : view.error);
  return reapClaims(ctx, livenessFrom(view), new Date());
}

test("a live worker's lease is refused to others; once its window is killed, the lease can be taken over and is reaped", async () => {
  const p = sleeperProfile();
  try {
    assert.equal(p.run(['start-session', 'w1', 'hold the lease']).code, 0);
    assert.equal(p.run(['claim', 'task', '--note', 'mine'], { env: { LOOOP_SESSION_ID: 'w1' } }).code, 0);
    const refused = p.run(['claim', 'task'], { env: { LOOOP_SESSION_ID: 'w2' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /held by session w1/);
    assert.deepEqual(await reapWithFleet(p), []);

    assert.equal(p.run(['kill', 'w1']).code, 0);
    const listed = JSON.parse(p.run(['claims', '--json']).stdout);
    assert.equal(listed[0].alive, false);
    assert.deepEqual(await reapWithFleet(p), [{ name: 'task', session: 'w1', reason: 'session w1 is not alive' }]);

    assert.equal(p.run(['claim', 'task'], { env: { LOOOP_SESSION_ID: 'w1' } }).code, 0);
    const took = p.run(['claim', 'task'], { env: { LOOOP_SESSION_ID: 'w2' } });
    assert.equal(took.code, 0, took.stderr);
    assert.match(took.stdout, /took it over from w1: session w1 is not alive/);
  } finally {
    p.cleanup();
  }
});

test('when the tmux server is killed, every worker lease is reaped; external leases stay', async () => {
  const p = sleeperProfile();
  try {
    assert.equal(p.run(['start-session', 'w1', 'work']).code, 0);
    p.run(['claim', 'a'], { env: { LOOOP_SESSION_ID: 'w1' } });
    p.run(['claim', 'b', '--session', 'alice']);
    p.tmux(['kill-server']);
    const reaped = await reapWithFleet(p);
    assert.deepEqual(reaped.map((r) => r.name), ['a']);
    assert.deepEqual(JSON.parse(p.run(['claims', '--json']).stdout).map((c: { name: string }) => c.name), ['b']);
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingRunner } from '../../src/beat/decide.ts';
import { assertOnPath } from '../../src/fleet/launch.ts';
import { missingCommand } from '../../src/proc/on-path.ts';

const PATH = process.env.PATH;

test('a template starting with a shell word is not judged, for the beat and for workers alike', () => {
  const t = 'source ~/.env && claude -p';
  assert.equal(missingCommand(t, '/', PATH), null);
  assert.equal(missingRunner('mine', t, { PATH }), null);
  assert.doesNotThrow(() => assertOnPath(t, 'mine', '/'));
});

test('a program missing from PATH is named, by the beat and for workers alike', () => {
  const t = 'IS_SANDBOX=1 no-such-agent-cli -p';
  assert.equal(missingCommand(t, '/', PATH), 'no-such-agent-cli');
  assert.match(missingRunner('mine', t, { PATH })!, /command "no-such-agent-cli" not found/);
});

test('installed programs, absolute paths and $VARS pass', () => {
  assert.equal(missingCommand('bash -c true', '/', PATH), null);
  assert.equal(missingCommand('/bin/sh -c true', '/', PATH), null);
  assert.equal(missingCommand('"$LOOOP_BIN" _fmt', '/', PATH), null);
  assert.equal(missingCommand('./nope.sh', '/tmp', PATH), './nope.sh');
});

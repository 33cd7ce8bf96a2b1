// Keys and text are data to tmux: an argument ending in ";" never starts a second tmux command, and
// typed text keeps its trailing ";" (and "\;").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fleetProfile, transcript, unterm, until } from '../fleet/fixture.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
before(() => {
  p = fleetProfile();
  assert.equal(p.run(['start-session', 'rx', 'receive', 'recv']).code, 0);
});
after(() => p.cleanup());

test('send keeps a trailing ";" and "\\;" exactly', async () => {
  for (const text of ['echo first; echo second;', 'echo A \\;']) {
    const r = p.run(['send', 'rx', text]);
    assert.equal(r.code, 0, r.stderr);
    await until(`"${text}" in the transcript`, () => unterm(transcript(p, 'rx')).includes(`${text}\n`));
  }
});

test('the key ";" is typed, not taken as a tmux command separator (";" "a" would run attach-session)', async () => {
  const r = p.run(['key', 'rx', 'x', ';', 'a', 'Enter'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/terminal|attach/i.test(r.stderr), r.stderr);
  await until('x;a in the transcript', () => unterm(transcript(p, 'rx')).includes('x;a\n'));
  const w = p.run(['key', 'rx', ';', 'w', 'x', 'Enter'], { timeoutMs: 30_000 });
  assert.equal(w.code, 0, w.stderr);
  await until(';wx in the transcript', () => unterm(transcript(p, 'rx')).includes(';wx\n'));
});

// A worker controls its window's name and can rewrite its window options; looop addresses windows by its
// own @looop_id, and an id that is not valid is replaced by the window number, never shown or run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fleetProfile, lsJson } from '../fleet/fixture.ts';

const p = fleetProfile();
after(() => p.cleanup());

test('a window renamed to $(touch …) is still addressed by its id; a forged @looop_id becomes window-N', () => {
  const marker = join(p.root, 'pwned');
  assert.equal(p.run(['start-session', 'w1', 'hi', 'sh']).code, 0);
  assert.equal(p.run(['start-session', 'w2', 'hi', 'sh']).code, 0);
  const w1 = p.tmux(['display-message', '-p', '-t', '=looop:=w1', '#{window_id}']).trim();
  const w2 = p.tmux(['display-message', '-p', '-t', '=looop:=w2', '#{window_id}']).trim();
  // What a worker can do from inside its window (its $TMUX is the profile server).
  p.tmux(['rename-window', '-t', w1, `$(touch${'${IFS}'}${marker})`]);
  p.tmux(['set-option', '-w', '-t', w2, '@looop_id', `$(touch${'${IFS}'}${marker})`]);
  const ids = lsJson(p).map((w) => String(w.id));
  assert.ok(ids.includes('w1'), ids.join(' '));
  const forged = `window-${w2.slice(1)}`;
  assert.ok(ids.includes(forged), ids.join(' '));
  assert.ok(!ids.some((id) => id.includes('$(')));
  const k1 = p.run(['kill', 'w1']);
  assert.equal(k1.code, 0, k1.stderr);
  const k2 = p.run(['kill', forged]);
  assert.equal(k2.code, 0, k2.stderr);
  assert.equal(existsSync(marker), false);
  assert.ok(!p.run(['ls']).stdout.includes('$('));
});

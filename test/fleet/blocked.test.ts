// A worker stuck on its CLI's first-run dialog is flagged by the fleet when the beat reads it, with a
// note naming the dialog; the flag clears itself once the dialog is gone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scriptedRunner } from '../helpers/runner.ts';
import { fleetProfile, lsJson } from './fixture.ts';

const p = fleetProfile();
after(() => p.cleanup());

// Looks like claude's first-run security notes until Enter, then clears the screen and "works".
const FAKE = `printf 'Security notes:\\n\\n 1. Claude can make mistakes\\n\\nPress Enter to continue\\n'; read x; printf '\\033[2J\\033[H'; echo working; exec sleep 60`;

test('a dialog on the screen raises a flag naming it at the next beat; answering it clears the flag', () => {
  const runner = scriptedRunner(p);
  runner.queue(...Array.from({ length: 5 }, () => ({ action: 'noop', reason: 'quiet' })));
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  p.writeConfig({ ...cfg, runners: { ...cfg.runners, claude: { tick: 'true', interactive: FAKE }, sh: { tick: 'true', interactive: 'bash --norc --noprofile -i' } } });
  assert.equal(p.run(['start-session', 'w', 'x', 'claude']).code, 0);
  assert.equal(p.run(['start-session', 'plain', 'x', 'sh']).code, 0);
  assert.equal(p.run(['expect', 'w', 'Press Enter to continue', '--timeout', '5']).code, 0);
  p.run(['tick']);
  const w = lsJson(p).find((x) => x.id === 'w')!;
  assert.equal(w.flag, 'claude is showing its first-run security notes — attach and answer (press Enter)');
  assert.equal(w.state, 'asking');
  assert.equal(lsJson(p).find((x) => x.id === 'plain')!.flag, null);
  assert.match(runner.prompts().at(-1)!, /first-run security notes/);
  assert.equal(p.run(['key', 'w', 'Enter']).code, 0);
  assert.equal(p.run(['expect', 'w', '^working', '--timeout', '5']).code, 0);
  p.run(['tick']);
  assert.equal(lsJson(p).find((x) => x.id === 'w')!.flag, null);
});

test('a flag the worker raised itself is never cleared by the fleet', () => {
  assert.equal(p.run(['flag', 'plain', 'my own question']).code, 0);
  p.run(['tick']);
  assert.equal(lsJson(p).find((x) => x.id === 'plain')!.flag, 'my own question');
});

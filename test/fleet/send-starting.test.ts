// Issue 6: a send that arrives while a worker's program is still starting is not lost, and a text that
// was dropped is never reported as submitted. Toy TUIs behave like agent CLIs at start-up.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fleetProfile, RUNNERS } from './fixture.ts';
import { isLineProgram, parseCanonical } from '../../src/fleet/ready.ts';
import type { Profile } from '../helpers/profile.ts';

// Cooked for a while (loading), then raw; what was typed before raw mode is thrown away (as claude and
// pi do), then each line typed is echoed and, on Enter, answered with "GOT: <line>".
const slowTui = (delayMs: number) => `exec node -e ${JSON.stringify(`
setTimeout(() => {
  process.stdin.setRawMode(true);
  const t = Date.now();
  let line = '';
  process.stdout.write('> ');
  process.stdin.on('data', (d) => {
    if (Date.now() - t < 300) return;
    for (const c of d.toString()) {
      if (c === '\\r') { process.stdout.write('\\r\\nGOT: ' + line + '\\r\\n> '); line = ''; }
      else { line += c; process.stdout.write(c); }
    }
  });
}, ${delayMs});
`.replace(/\n/g, ' '))}`;

// Raw at once and never shows or reads anything: whatever is typed is lost.
const blackHole = `exec node -e "process.stdin.setRawMode(true); process.stdin.on('data', () => {});"`;

let p: Profile;
before(() => {
  p = fleetProfile();
  p.writeConfig({ default: 'sh', runners: { ...RUNNERS, slow: { tick: 'true', interactive: slowTui(1500) }, hole: { tick: 'true', interactive: blackHole } } });
});
after(() => p.cleanup());

test('the tty mode and shell names the readiness wait reads', () => {
  assert.equal(parseCanonical('speed 38400 baud; line = 0;\n-ignbrk brkint\nisig icanon iexten echo'), true);
  assert.equal(parseCanonical('isig -icanon iexten -echo'), false);
  assert.equal(parseCanonical('garbage'), null);
  for (const c of ['bash', '-bash', '/bin/sh', 'zsh', 'cat']) assert.ok(isLineProgram(c), c);
  for (const c of ['node', 'claude', 'pi', 'vim']) assert.ok(!isLineProgram(c), c);
});

test('a send right after start waits until the program reads its input, and reaches it', async () => {
  assert.equal(p.run(['start-session', 'slow', 'x', 'slow']).code, 0);
  const r = await p.runAsync(['send', 'slow', '--json', 'early words for the tui']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).submitted, true);
  assert.equal(p.run(['expect', 'slow', '^GOT: early words for the tui', '--timeout', '10']).code, 0, p.run(['shot', 'slow']).stdout);
});

test('a text that never showed on the screen is not reported as submitted', async () => {
  assert.equal(p.run(['start-session', 'hole', 'x', 'hole']).code, 0);
  const r = await p.runAsync(['send', 'hole', '--json', 'into the void']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).submitted, false);
  assert.match(r.stderr, /not submitted/);
});

// A verb never ends with exit 0 and no word (seen once under load: `looop shot ghost` → 0, empty
// output). Two ways a verb could stop without its answer, forced with a preloaded stand-in for
// child_process.spawn: a tmux client that exits while its output pipe stays open (its 'close' never
// comes), and an await that nothing ever resolves (the event loop drains under top-level await).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fleetProfile } from './fixture.ts';
import type { Profile } from '../helpers/profile.ts';

// `exits`: the fake tmux exits 0 (no output) but never closes its pipes; else it never does anything.
const fakeSpawn = (exits: boolean) => `
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { EventEmitter } from 'node:events';
const cp = createRequire(import.meta.url)('node:child_process');
const real = cp.spawn;
cp.spawn = (cmd, ...rest) => {
  if (cmd !== 'tmux') return real(cmd, ...rest);
  const child = new EventEmitter();
  child.stdout = new EventEmitter();
  child.stderr = new EventEmitter();
  child.stdin = Object.assign(new EventEmitter(), { end() {} });
  child.kill = () => true;
  ${exits ? "setTimeout(() => child.emit('exit', 0, null), 10);" : ''}
  return child;
};
syncBuiltinESMExports();
${exits ? '' : `// Long timers (tmux's own answer timeout) must not keep the process alive: let the loop drain.
const st = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...a) => { const t = st(fn, ms, ...a); if (ms >= 10000) t.unref(); return t; };`}
`;

let p: Profile;
const preload = (name: string, exits: boolean) => {
  const file = join(p.root, `${name}.mjs`);
  writeFileSync(file, fakeSpawn(exits));
  return { NODE_OPTIONS: `--import=${pathToFileURL(file).href}` };
};

before(() => {
  p = fleetProfile();
  assert.equal(p.run(['start-session', 'a', 'x']).code, 0);
});
after(() => p.cleanup());

test('a tmux client that exits but never closes its output still gives the verb its answer', () => {
  const r = p.run(['shot', 'ghost'], { env: preload('exits', true) });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /no worker "ghost"/);
});

test('a verb whose work never settles fails with a message instead of ending silently', () => {
  const r = p.run(['shot', 'ghost'], { env: preload('hangs', false) });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /internal error: the command stopped before it finished/);
});

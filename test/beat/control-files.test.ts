// looop restores its own control files: a directory at .decision.json or a file at .lock is moved
// aside and named, and the beat goes on instead of failing every beat until a human cleans up.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner, type ScriptedRunner } from '../helpers/runner.ts';

describe('control files replaced by the wrong kind of thing', () => {
  let p: Profile;
  let r: ScriptedRunner;
  before(() => {
    p = makeProfile('looop-control');
    r = scriptedRunner(p, { max_decisions_per_hour: 0 });
    assert.equal(p.run(['tick', '--dry-run']).code, 0);
  });
  after(() => p?.cleanup());

  for (const [what, plant] of [
    ['a directory at .decision.json', () => mkdirSync(join(p.dataDir, '.decision.json'))],
    ['a file at .lock', () => writeFileSync(join(p.dataDir, '.lock'), '')],
  ] as const) {
    it(`${what}: named, moved aside, the beat acts`, { timeout: 60_000 }, () => {
      plant();
      rmSync(join(p.dataDir, '.tick-backoff'), { force: true });
      p.writeFile('goals/g.md', `${what} ${Date.now()}\n`);
      r.queue({ action: 'noop', reason: 'fine', journal: `survived ${what}` });
      const res = p.run(['tick']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.match(res.stdout + res.stderr, /was a (directory|file), not looop's .*moved aside to \.(decision\.json|lock)\.bad-\d+/);
      assert.match(res.stdout + res.stderr, new RegExp(`survived ${what}`));
      assert.ok(readdirSync(p.dataDir).some((f) => /\.bad-\d+$/.test(f)));
      for (const f of readdirSync(p.dataDir).filter((x) => /\.bad-\d+$/.test(x))) rmSync(join(p.dataDir, f), { recursive: true });
      assert.ok(!existsSync(join(p.dataDir, '.decision.json')));
    });
  }
});

// GUARDS and the lock, end to end with a pinned clock (LOOOP_NOW) instead of sleeps.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

const at = (iso: string) => ({ LOOOP_NOW: iso });

function setup(extra: Record<string, unknown> = {}) {
  const p = makeProfile();
  const r = scriptedRunner(p, extra);
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":1}\'\n', 0o755);
  return { p, r };
}

describe('backoff', () => {
  it('waits min(60·2^(n-1), 300) s after a failure whatever the world does, and a policy edit cuts it short', () => {
    const { p, r } = setup();
    try {
      r.queue('garbage');
      assert.equal(p.run(['tick'], { env: at('2026-03-01T10:00:00Z') }).code, 1);
      p.writeFile('sensors/other.sh', '#!/bin/sh\necho \'{"signal":"changed"}\'\n', 0o755);
      const held = p.run(['tick'], { env: at('2026-03-01T10:00:30Z') });
      assert.equal(held.code, 0);
      assert.match(held.stdout, /backoff: 1 failed beat\(s\), waiting 30s/);
      assert.equal(r.calls(), 1, 'no runner call while backing off');
      r.queue('garbage');
      assert.equal(p.run(['tick'], { env: at('2026-03-01T10:01:00Z') }).code, 1);
      assert.match(p.run(['tick'], { env: at('2026-03-01T10:02:30Z') }).stdout, /backoff: 2 failed beat\(s\), waiting 30s/);
      p.writeFile('goals/fix.md', 'the human fixed the policy\n');
      r.queue({ action: 'noop', reason: 'ok now' });
      const cut = p.run(['tick'], { env: at('2026-03-01T10:02:31Z') });
      assert.match(cut.stdout, /backoff cut short: PLAYBOOK or goals changed/);
      assert.equal(cut.code, 0);
      assert.ok(!existsSync(join(p.dataDir, '.tick-backoff')));
    } finally {
      p.cleanup();
    }
  });

  it('an unreadable backoff file holds the loop until fixed, never clears', () => {
    const { p, r } = setup();
    try {
      p.writeFile('.tick-backoff', '{corrupt');
      r.queue({ action: 'noop', reason: 'x' });
      const res = p.run(['tick']);
      assert.match(res.stdout, /held: \.tick-backoff is corrupt/);
      assert.equal(r.calls(), 0);
    } finally {
      p.cleanup();
    }
  });
});

describe('recheck', () => {
  it('a quiet world is decided again once the last noop is LOOOP_NOOP_TTL old', () => {
    const { p, r } = setup();
    try {
      r.queue({ action: 'noop', reason: 'quiet' }, { action: 'noop', reason: 'still quiet' });
      p.run(['tick'], { env: at('2026-03-01T10:00:00Z') });
      assert.match(p.run(['tick'], { env: at('2026-03-01T15:59:00Z') }).stdout, /skip/);
      const res = p.run(['tick'], { env: at('2026-03-01T16:00:01Z') });
      assert.match(res.stdout, /recheck: quiet world/);
      assert.equal(r.calls(), 2);
      assert.match(r.prompts()[1]!, /this is a recheck/);
      assert.match(p.run(['tick'], { env: { ...at('2026-03-01T23:00:00Z'), LOOOP_NOOP_TTL: '0' } }).stdout, /skip/);
    } finally {
      p.cleanup();
    }
  });
});

describe('rate cap', () => {
  it('holds deciding at max_decisions_per_hour in any rolling hour', () => {
    const { p, r } = setup({ max_decisions_per_hour: 2 });
    try {
      for (const [i, t] of ['10:00', '10:10', '10:20'].entries()) {
        p.writeFile('goals/g.md', `v${i}\n`);
        r.queue({ action: 'noop', reason: String(i) });
        const res = p.run(['tick'], { env: at(`2026-03-01T${t}:00Z`) });
        if (i === 2) assert.match(res.stdout, /rate cap: 2\/2 decisions this hour/);
      }
      assert.equal(r.calls(), 2);
      assert.equal(p.run(['tick'], { env: at('2026-03-01T11:00:01Z') }).code, 0);
      assert.equal(r.calls(), 3);
    } finally {
      p.cleanup();
    }
  });
});

describe('budget', () => {
  it('skips deciding once today spend reaches max_daily_usd, until local midnight', () => {
    const { p, r } = setup({ max_daily_usd: 1 });
    try {
      const day = '2026-03-01';
      writeFileSync(join(p.dataDir, 'cost.jsonl'), JSON.stringify({ ts: `${day}T12:00:00`, kind: 'tick', id: 'x', runner: 'scripted', cost_usd: 1.25 }) + '\n');
      r.queue({ action: 'noop', reason: 'tomorrow' });
      const held = p.run(['tick'], { env: at(`${day}T23:59:00`) });
      assert.match(held.stdout, /budget: \$1\.25 of \$1\.00 spent today; paused until 2026-03-02 00:00/);
      assert.equal(r.calls(), 0);
      p.run(['tick'], { env: at('2026-03-02T00:00:30') });
      assert.equal(r.calls(), 1);
    } finally {
      p.cleanup();
    }
  });
});

describe('the beat lock', () => {
  it('two beats at once: the second exits 3 naming the holder, never two runners', async () => {
    const p = makeProfile();
    try {
      const slow = join(p.root, 'slow.sh');
      writeFileSync(slow, `#!/bin/sh\ncat >/dev/null\necho x >> ${p.root}/calls\nsleep 3\necho '{"action":"noop","reason":"slow"}' > .decision.json\n`, { mode: 0o755 });
      p.writeConfig({ default: 'slow', runners: { slow: { tick: slow } } });
      p.run(['tick', '--dry-run']);
      const first = p.runAsync(['tick']);
      await new Promise((res) => setTimeout(res, 1200));
      const second = await p.runAsync(['tick']);
      assert.equal(second.code, 3, second.stderr);
      assert.match(second.stderr, /another beat holds the lock \(tick, pid \d+, since /);
      assert.equal((await first).code, 0);
      assert.equal(readFileSync(join(p.root, 'calls'), 'utf8'), 'x\n');
    } finally {
      p.cleanup();
    }
  });

  it('a beat killed with SIGKILL mid-decide: the next one reclaims the lock and re-derives everything', async () => {
    const p = makeProfile();
    try {
      const slow = join(p.root, 'slow.sh');
      writeFileSync(slow, `#!/bin/sh\ncat >/dev/null\nif [ -f ${p.root}/second ]; then echo '{"action":"noop","reason":"fine"}' > .decision.json; exit 0; fi\ntouch ${p.root}/second\nsleep 30\n`, { mode: 0o755 });
      p.writeConfig({ default: 'slow', runners: { slow: { tick: slow } } });
      p.run(['tick', '--dry-run']);
      const child = spawn(process.execPath, [BIN, 'tick'], { env: p.env, stdio: 'ignore' });
      while (!existsSync(join(p.root, 'second'))) await new Promise((res) => setTimeout(res, 100));
      child.kill('SIGKILL');
      await new Promise((res) => child.on('exit', res));
      const next = await p.runAsync(['tick']);
      assert.equal(next.code, 0, next.stderr);
      assert.match(readFileSync(join(p.dataDir, 'journal.md'), 'utf8'), /noop: fine/);
    } finally {
      p.cleanup();
    }
  });
});

describe('an unwritable data dir', () => {
  it('fails with the path and one line, no stack', () => {
    const p = makeProfile();
    try {
      mkdirSync(p.root, { recursive: true });
      writeFileSync(join(p.root, 'afile'), 'x');
      const res = p.run(['tick'], { env: { LOOOP_DATA_DIR: join(p.root, 'afile', 'data') } });
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.match(res.stderr, /afile\/data/);
      assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
    } finally {
      p.cleanup();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { makeProfile } from '../helpers/profile.ts';

const iso = z.string().datetime();
const Worker = z.object({
  id: z.string(),
  state: z.enum(['starting', 'working', 'waiting', 'asking', 'flagged', 'stuck', 'exited', 'killed', 'lost']),
  alive: z.boolean(),
  exit_code: z.number().int().nullable(),
  flag: z.string().nullable(),
  source: z.string(),
  age_s: z.number(),
  idle_s: z.number(),
  pid: z.number().int().nullable(),
  runner: z.string(),
  cwd: z.string().optional(),
  git: z.object({ branch: z.string().nullable(), files: z.number(), insertions: z.number(), deletions: z.number() }).optional(),
  since: z.number().optional(),
  said: z.string().optional(),
});
export const StatusJson = z
  .object({
    version: z.string(),
    data_dir: z.string(),
    config: z.string(),
    config_error: z.string().nullable(),
    socket: z.string(),
    attach: z.string().regex(/^tmux -S \S+ attach -t looop$/),
    pulse: z.object({ alive: z.boolean().nullable(), state: z.string().nullable(), pid: z.number().nullable() }).strict(),
    inbox: z.object({ unread: z.number().int(), newest: z.array(z.object({ n: z.number().int(), ts: iso, kind: z.string(), title: z.string(), message: z.string(), worker: z.string().optional() }).strict()) }).strict(),
    holds: z.array(z.object({ key: z.string(), since: iso, reason: z.string() }).strict()),
    last_action: z.object({ at: z.string(), text: z.string() }).strict().nullable(),
    journal: z.array(z.string()),
    driver: z.enum(['pulse', 'systemd', 'cron']).nullable(),
    last_beat: z
      .object({ ts: iso, result: z.string(), reason: z.string().nullable(), run_id: z.string().nullable(), hash: z.string().nullable(), next_s: z.number().nullable(), next_at: iso.nullable() })
      .strict()
      .nullable(),
    last_hash: z.string().nullable(),
    next_beat: z.object({ at: iso, in_s: z.number().int() }).strict().nullable(),
    backoff: z.object({ failures: z.number().int().nullable(), last_failure_ts: iso.nullable(), until: iso.nullable(), holding: z.boolean() }).strict().nullable(),
    last_failure: z.object({ reason: z.string(), ts: iso.nullable(), run_id: z.string().nullable() }).strict().nullable(),
    workers: z.array(Worker.strict()).nullable(),
    fleet_error: z.string().nullable(),
    flags: z.array(z.object({ id: z.string(), note: z.string() }).strict()),
    asks: z.array(z.object({ id: z.string(), line: z.string() }).strict()),
    pending_sensors: z.array(z.string()),
    claims: z.array(
      z.object({ name: z.string(), session: z.string(), ts: iso, ttl_s: z.number().nullable(), note: z.string().nullable(), external: z.boolean(), expires_at: iso.nullable(), alive: z.boolean().nullable() }).strict(),
    ),
    spend: z.object({ today_usd: z.number(), cap_usd: z.number().nullable(), paused_until: iso.nullable() }).strict(),
    schedule: z.array(z.object({ kind: z.enum(['systemd', 'cron']), name: z.string(), every_s: z.number().nullable(), where: z.string() }).strict()),
    held: z.string().nullable(),
    git: z.string().nullable(),
    ignored_goals: z.array(z.object({ file: z.string(), problem: z.string() }).strict()),
  })
  .strict();

test('status --json on a fresh profile: no pulse, no beats, nothing driving it, the attach command', () => {
  const p = makeProfile('looop-status');
  try {
    const r = p.run(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = StatusJson.parse(JSON.parse(r.stdout));
    assert.equal(s.pulse.alive, false);
    assert.equal(s.driver, null);
    assert.equal(s.last_beat, null);
    assert.deepEqual(s.workers, []);
    assert.equal(s.attach, `tmux -S ${p.socket} attach -t looop`);
    const human = p.run(['status']);
    assert.match(human.stdout, /^pulse\s+not running$/m);
    assert.match(human.stdout, /nothing runs beats: start `looop`, or `looop schedule install`/);
    // No server yet: nothing to attach to.
    assert.match(human.stdout, /^attach\s+no workers yet$/m);
  } finally {
    p.cleanup();
  }
});

test('status tells the whole story: last beat, backoff, last failure, spend vs cap, flagged worker, leases', () => {
  const p = makeProfile('looop-status');
  try {
    p.writeConfig({ default: 'sleeper', runners: { sleeper: { tick: 'true', interactive: 'sleep 300' } }, max_daily_usd: 1 });
    const now = Date.now();
    const t = (s: number) => new Date(now + s * 1000).toISOString();
    p.writeFile('.last-beat.json', JSON.stringify({ ts: t(-30), result: 'failed', reason: 'runner exited 1', run_id: 'r-7', hash: 'abc123def4567890ffff', next_s: 60, next_at: t(30) }));
    p.writeFile('.last-tick-hash', 'abc123def4567890ffff\n');
    p.writeFile('.tick-backoff', JSON.stringify({ failures: 2, last_failure_ts: t(-30), policy: 'x' }));
    p.writeFile('.last-failure.json', JSON.stringify({ reason: 'runner exited 1', ts: t(-30), run_id: 'r-7' }));
    p.writeFile('cost.jsonl', JSON.stringify({ ts: t(-60), kind: 'tick', id: 'r-6', runner: 'pi', cost_usd: 1.25 }) + '\n');
    assert.equal(p.run(['start-session', 'w1', 'work']).code, 0);
    assert.equal(p.run(['flag', 'w1', 'which branch?']).code, 0);
    assert.equal(p.run(['claim', 'build'], { env: { LOOOP_SESSION_ID: 'w1' } }).code, 0);
    assert.equal(p.run(['claim', 'orphan'], { env: { LOOOP_SESSION_ID: 'w-gone' } }).code, 0);

    const s = StatusJson.parse(JSON.parse(p.run(['status', '--json']).stdout));
    assert.equal(s.last_beat?.result, 'failed');
    assert.equal(s.last_hash, 'abc123def4567890ffff');
    assert.equal(s.backoff?.failures, 2);
    assert.equal(s.backoff?.holding, true, '2 failures wait 120 s; the last was 30 s ago');
    assert.equal(s.last_failure?.reason, 'runner exited 1');
    assert.equal(s.spend.today_usd, 1.25);
    assert.equal(s.spend.cap_usd, 1);
    assert.ok(s.spend.paused_until, 'over the cap: paused until midnight');
    const midnight = new Date();
    midnight.setHours(24, 0, 0, 0);
    assert.equal(Date.parse(s.spend.paused_until!), midnight.getTime());
    assert.deepEqual(s.flags, [{ id: 'w1', note: 'which branch?' }]);
    assert.deepEqual(s.claims.map((c) => [c.name, c.alive]), [['build', true], ['orphan', false]]);
    assert.equal(s.next_beat, null, 'no pulse and no timer: nothing will run the next beat');

    const human = p.run(['status']).stdout;
    assert.match(human, /^last beat .*failed: runner exited 1 {2}\[run r-7\]$/m);
    assert.match(human, /^backoff\s+2 failed beat\(s\); deciding again after /m);
    assert.match(human, /^spend\s+\$1\.25 today of \$1\.00 daily cap — deciding paused until /m);
    assert.match(human, /^⚑ w1: which branch\?/m);
    assert.match(human, /orphan\s+w-gone \(gone: reaped next beat\)/);
    // The inbox leads; the internal hash is only in --json.
    assert.equal(s.inbox.unread, 1);
    assert.equal(s.inbox.newest[0]?.kind, 'flag');
    assert.match(human.split('\n')[0]!, /^✉ 1 unread in the inbox/);
    assert.match(human, /^ {2}#1 .* flag .*⚑ w1: which branch\?.*\(looop attach w1\)$/m);
    assert.doesNotMatch(human, /abc123/);
    assert.match(human, new RegExp(`^attach\\s+tmux -S ${p.socket.replace(/[.]/g, '\\.')} attach -t looop$`, 'm'));
  } finally {
    p.cleanup();
  }
});

test('status survives corrupt state files: unknown, never a crash', () => {
  const p = makeProfile('looop-status');
  try {
    p.writeFile('.last-beat.json', '{torn');
    p.writeFile('.tick-backoff', 'garbage');
    p.writeFile('.last-failure.json', '[]');
    p.writeFile('cost.jsonl', 'nope\n');
    p.writeFile('claims/x.json', '{');
    const r = p.run(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = StatusJson.parse(JSON.parse(r.stdout));
    assert.equal(s.last_beat, null);
    assert.deepEqual(s.backoff, { failures: null, last_failure_ts: null, until: null, holding: true });
    assert.match(s.held ?? '', /^\.tick-backoff is corrupt: looop holds until it is fixed or removed$/);
    assert.equal(s.last_failure, null);
    assert.equal(p.run(['status']).code, 0);
  } finally {
    p.cleanup();
  }
});

test('a goal file whose name breaks the id rules is reported, not silently ignored', () => {
  const p = makeProfile('looop-status');
  try {
    p.writeFile('goals/Q4 launch.md', 'ship it\n');
    const s = StatusJson.parse(JSON.parse(p.run(['status', '--json']).stdout));
    assert.equal(s.ignored_goals.length, 1);
    assert.equal(s.ignored_goals[0]!.file, 'Q4 launch.md');
    assert.match(p.run(['status']).stdout, /^goal\s+goals\/Q4 launch\.md is ignored: its name/m);
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { context } from '../../src/context.ts';
import { spentOn } from '../../src/cost/ledger.ts';
import { makeProfile, type Profile } from '../helpers/profile.ts';

function writeLedger(p: Profile, rows: Array<Record<string, unknown> | string>): void {
  mkdirSync(p.dataDir, { recursive: true });
  writeFileSync(join(p.dataDir, 'cost.jsonl'), rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
}

const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).toISOString();

const Totals = {
  total_usd: z.number(),
  runs: z.number().int(),
  by_kind: z.record(z.string(), z.number()),
  by_runner: z.record(z.string(), z.number()),
};
const CostJson = z
  .object({
    range: z.enum(['today', 'week', 'all']),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    ...Totals,
    by_day: z.array(z.object({ day: z.string(), ...Totals }).strict()),
    today_usd: z.number(),
    cap_usd: z.number().nullable(),
    skipped_lines: z.number().int(),
  })
  .strict();

test('_cost appends one ledger row; bad kind or amount is a usage error', () => {
  const p = makeProfile('looop-cost');
  try {
    const r = p.run(['_cost', 'session', 'w1', 'claude', '0.25']);
    assert.equal(r.code, 0, r.stderr);
    const row = JSON.parse(readFileSync(join(p.dataDir, 'cost.jsonl'), 'utf8'));
    assert.deepEqual(Object.keys(row), ['ts', 'kind', 'id', 'runner', 'cost_usd']);
    assert.equal(row.cost_usd, 0.25);
    assert.equal(p.run(['_cost', 'lunch', 'w1', 'claude', '1']).code, 2);
    assert.equal(p.run(['_cost', 'session', 'w1', 'claude', 'lots']).code, 2);
    assert.equal(p.run(['_cost', 'session', '../x', 'claude', '1']).code, 1);
    assert.equal(readFileSync(join(p.dataDir, 'cost.jsonl'), 'utf8').trim().split('\n').length, 1);
  } finally {
    p.cleanup();
  }
});

test('20 concurrent self-reports each land as one whole ledger line', async () => {
  const p = makeProfile('looop-cost');
  try {
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => p.runAsync(['_cost', 'session', `w${i}`, 'pi', String(i / 100)])));
    assert.ok(runs.every((r) => r.code === 0));
    const lines = readFileSync(join(p.dataDir, 'cost.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 20);
    const total = lines.map((l) => JSON.parse(l).cost_usd as number).reduce((a, b) => a + b, 0);
    assert.equal(Math.round(total * 100), 190);
  } finally {
    p.cleanup();
  }
});

test('looop cost --json: totals by kind, runner and day match the ledger; malformed lines are skipped with a warning', () => {
  const p = makeProfile('looop-cost');
  try {
    const now = new Date();
    const today = (h: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate(), h).toISOString();
    const daysAgo = (n: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, 12).toISOString();
    writeLedger(p, [
      { ts: daysAgo(30), kind: 'tick', id: 'r0', runner: 'claude', cost_usd: 5 },
      { ts: daysAgo(3), kind: 'tick', id: 'r1', runner: 'claude', cost_usd: 1.5 },
      'this is not json',
      { ts: daysAgo(3), kind: 'session', id: 'w1', runner: 'pi', cost_usd: 0.5 },
      { ts: today(0), kind: 'tick', id: 'r2', runner: 'pi', cost_usd: 0.25 },
      { ts: 'yesterday-ish', kind: 'tick', id: 'r3', runner: 'pi', cost_usd: 1 },
      { ts: today(0), kind: 'session', id: 'w2', runner: 'claude', cost_usd: 0.125 },
    ]);
    p.writeConfig({ max_daily_usd: 2 });
    const t = p.run(['cost', '--json']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stderr, /skipped 2 malformed line\(s\) in .*cost\.jsonl \(line 3, 6\)/);
    const todayR = CostJson.parse(JSON.parse(t.stdout));
    assert.equal(todayR.range, 'today');
    assert.equal(todayR.total_usd, 0.375);
    assert.deepEqual(todayR.by_kind, { session: 0.125, tick: 0.25 });
    assert.deepEqual(todayR.by_runner, { claude: 0.125, pi: 0.25 });
    assert.equal(todayR.cap_usd, 2);
    assert.equal(todayR.skipped_lines, 2);

    const week = CostJson.parse(JSON.parse(p.run(['cost', 'week', '--json']).stdout));
    assert.equal(week.total_usd, 2.375);
    assert.equal(week.runs, 4);
    assert.equal(week.by_day.length, 2);
    assert.deepEqual(week.by_day[0]!.by_runner, { claude: 1.5, pi: 0.5 });

    const all = CostJson.parse(JSON.parse(p.run(['cost', 'all', '--json']).stdout));
    assert.equal(all.total_usd, 7.375);
    assert.equal(all.from, null);

    const human = p.run(['cost', 'week']);
    assert.match(human.stdout, /spend last 7 days .*: \$2\.38 over 4 runs/);
    assert.match(human.stdout, /by runner: claude \$1\.63 · pi \$0\.75/);
    assert.match(human.stdout, /daily cap: \$0\.38 of \$2\.00 spent today/);
    assert.equal(p.run(['cost', 'month']).code, 2);
  } finally {
    p.cleanup();
  }
});

test('spentOn sums one local calendar day, ignoring malformed lines, other days and a missing ledger', () => {
  const p = makeProfile('looop-cost');
  try {
    const ctx = context(p.env);
    assert.equal(spentOn(ctx, new Date()), 0);
    writeLedger(p, [
      { ts: at(2030, 3, 9, 23, 59), kind: 'tick', id: 'a', runner: 'pi', cost_usd: 9 },
      { ts: at(2030, 3, 10, 0, 0), kind: 'tick', id: 'b', runner: 'pi', cost_usd: 0.1 },
      '{"broken":',
      { ts: at(2030, 3, 10, 13), kind: 'session', id: 'w', runner: 'claude', cost_usd: 0.2 },
      { ts: at(2030, 3, 10, 23, 59), kind: 'tick', id: 'c', runner: 'pi', cost_usd: 0.3 },
      { ts: at(2030, 3, 11, 0, 0), kind: 'tick', id: 'd', runner: 'pi', cost_usd: 7 },
    ]);
    assert.equal(spentOn(ctx, new Date(2030, 2, 10, 8)), 0.6);
    assert.equal(spentOn(ctx, new Date(2030, 2, 9, 8)), 9);
    assert.equal(spentOn(ctx, new Date(2030, 2, 11, 8)), 7);
    assert.equal(spentOn(ctx, new Date(2030, 2, 12, 8)), 0);
  } finally {
    p.cleanup();
  }
});

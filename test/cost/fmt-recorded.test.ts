// _fmt on streams recorded from the real claude and pi CLIs (against the fake API; see
// scripts/capture-fixtures.ts): the spend it records must equal what the stream itself reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile, ROOT } from '../helpers/profile.ts';

const DIR = join(ROOT, 'test', 'fixtures');
const recorded = existsSync(DIR) ? readdirSync(DIR).filter((f) => /^(claude|pi)-.*\.ndjson$/.test(f)).sort() : [];

/** The spend a stream reports, computed independently of _fmt. */
function reportedCost(text: string): number | null {
  const events = text.split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
  const results = events.filter((e) => e.type === 'result' && typeof e.total_cost_usd === 'number');
  if (results.length) return results.at(-1).total_cost_usd;
  const msgs = events.filter((e) => e.type === 'message_end' && e.message?.role === 'assistant' && typeof e.message?.usage?.cost?.total === 'number');
  return msgs.length ? msgs.reduce((a, e) => a + e.message.usage.cost.total, 0) : null;
}

test('recorded fixtures exist for both runners', () => {
  assert.ok(recorded.some((f) => f.startsWith('claude-')), recorded.join(', '));
  assert.ok(recorded.some((f) => f.startsWith('pi-')), recorded.join(', '));
});

for (const file of recorded) {
  test(`recorded ${file}: readable progress, the stream's own spend in the ledger, API errors fail the run`, () => {
    const p = makeProfile('looop-fmt-rec');
    try {
      const text = readFileSync(join(DIR, file), 'utf8');
      const runner = file.split('-')[0]!;
      const r = p.run(['_fmt'], { input: text, env: { LOOOP_COST_KIND: 'tick', LOOOP_COST_ID: 'rec', LOOOP_COST_RUNNER: runner } });
      const failing = /api-\d+|error/.test(file);
      assert.equal(r.code, failing ? 1 : 0, `${r.stdout}\n${r.stderr}`);
      if (failing) assert.match(r.stderr, /^looop: runner failed: .*(500|error)/m);
      else assert.match(r.stdout, new RegExp(`^✓ ${runner} done`, 'm'));
      assert.doesNotMatch(r.stdout, /^\{"type"/m, 'no raw events leak through');
      if (/write-decision|permission/.test(file)) assert.match(r.stdout, /^→ (Write|write) .*\.decision\.json$/m);
      if (/permission/.test(file)) assert.match(r.stderr, /denied 1 tool call/);
      const want = reportedCost(text);
      const ledger = existsSync(join(p.dataDir, 'cost.jsonl')) ? readFileSync(join(p.dataDir, 'cost.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
      if (want === null) assert.equal(ledger.length, 0);
      else {
        assert.equal(ledger.length, 1);
        assert.ok(Math.abs(ledger[0].cost_usd - want) < 1e-6, `ledger ${ledger[0].cost_usd} vs stream ${want}`);
        assert.equal(ledger[0].runner, runner);
      }
    } finally {
      p.cleanup();
    }
  });
}

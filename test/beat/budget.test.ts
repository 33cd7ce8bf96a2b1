// SPEC §3.4 BUDGET input: today's total from cost.jsonl (local day), malformed lines skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spentOnDay } from '../../src/beat/budget.ts';
import { layout } from '../../src/paths.ts';

test("today's spend sums only today's (local) ledger rows and skips malformed lines", () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-budget-'));
  try {
    const p = layout(dir);
    const day = new Date(2025, 2, 14, 12, 0);
    const rows = [
      { ts: new Date(2025, 2, 14, 0, 0, 1).toISOString(), cost_usd: 1.25 },
      { ts: new Date(2025, 2, 14, 23, 59, 59).toISOString(), cost_usd: 0.5 },
      { ts: new Date(2025, 2, 13, 23, 59, 59).toISOString(), cost_usd: 100 },
      { ts: new Date(2025, 2, 15, 0, 0, 0).toISOString(), cost_usd: 100 },
      { ts: new Date(2025, 2, 14, 9).toISOString(), cost_usd: 'free' },
    ];
    writeFileSync(p.cost, rows.map((r) => JSON.stringify(r)).join('\n') + '\n{ torn line\n\n');
    assert.equal(spentOnDay(p, day), 1.75);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no ledger means nothing spent', () => {
  assert.equal(spentOnDay(layout(join(tmpdir(), 'looop-no-such-dir-' + process.pid)), new Date()), 0);
});

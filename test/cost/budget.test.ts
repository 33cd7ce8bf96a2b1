import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context } from '../../src/context.ts';
import { spentOn } from '../../src/cost/ledger.ts';
import { checkBudget } from '../../src/beat/guards.ts';
import { makeProfile } from '../helpers/profile.ts';

test('budget: once today reaches max_daily_usd, deciding stops until local midnight, then resumes (injected clock)', () => {
  const p = makeProfile('looop-budget');
  try {
    const ctx = context(p.env);
    const row = (d: Date, usd: number) => JSON.stringify({ ts: d.toISOString(), kind: 'tick', id: 'r', runner: 'pi', cost_usd: usd });
    mkdirSync(p.dataDir, { recursive: true });
    const ledger = join(p.dataDir, 'cost.jsonl');
    writeFileSync(ledger, row(new Date(2030, 5, 1, 9), 0.6) + '\n');
    const cap = 1;

    const morning = new Date(2030, 5, 1, 10);
    assert.deepEqual(checkBudget(spentOn(ctx, morning), cap, morning), { hold: false }, '0.60 of 1.00: keep deciding');

    appendFileSync(ledger, row(new Date(2030, 5, 1, 14), 0.45) + '\n');

    const evening = new Date(2030, 5, 1, 18, 30);
    const held = checkBudget(spentOn(ctx, evening), cap, evening);
    assert.equal(held.hold, true);
    assert.equal(held.hold && held.until.getTime(), new Date(2030, 5, 2, 0, 0, 0, 0).getTime(), 'until the next local midnight');

    const lateNight = new Date(2030, 5, 1, 23, 59, 59);
    assert.equal(checkBudget(spentOn(ctx, lateNight), cap, lateNight).hold, true);

    const afterMidnight = new Date(2030, 5, 2, 0, 0, 1);
    assert.equal(spentOn(ctx, afterMidnight), 0);
    assert.deepEqual(checkBudget(spentOn(ctx, afterMidnight), cap, afterMidnight), { hold: false });

    assert.deepEqual(checkBudget(spentOn(ctx, evening), null, evening), { hold: false }, 'no cap, no hold');
  } finally {
    p.cleanup();
  }
});

// Issue 6 tests (1) and (2), the same story for claude and pi: `looop tick` with the real CLI as
// the runner, the fake model scripting its tool calls and failures.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ToolCall } from '../fake-llm/server.ts';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, journal, ledger, reportedCost, tracked, type Cli, type E2E } from './harness.ts';

const T = { timeout: 60_000 };

/** The CLI's own file-writing tool call that writes `content` to the data dir's .decision.json. */
export type WriteCall = (dataDir: string, content: string) => ToolCall;

export function tickSuite(cli: Cli, _writeCall: WriteCall, errorText: RegExp): void {
  describe(`${cli} as the tick runner`, { skip: missing(cli) }, () => {
    let e: E2E;
    before(async () => {
      e = await e2eProfile(cli);
    });
    after(async () => e?.close());

    it(`decides with its final message: the goal exists, one journal line, and the ledger holds what ${cli} reported`, T, async () => {
      const decision = { action: 'write_goal', id: 'hello', body: '# Hello\n\nSay hello to the fake model.', journal: `${cli}: goal hello` };
      e.api.queue({ text: JSON.stringify(decision) });
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.equal(readFileSync(join(e.p.dataDir, 'goals', 'hello.md'), 'utf8'), '# Hello\n\nSay hello to the fake model.\n');
      assert.match(journal(e.p).at(-1)!, new RegExp(`^- \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d ${cli}: goal hello$`));
      assert.ok(!existsSync(join(e.p.dataDir, '.decision.json')));

      // One turn: the reply is the decision, no tool round trip.
      const turns = e.api.turns();
      assert.equal(turns.length, 1);
      // It read the prompt from stdin.
      assert.match(JSON.stringify(turns[0]!.body.messages), /You are the decider of looop/);

      const usd = reportedCost(e.raw(1));
      assert.ok(usd > 0, `${cli} reported a cost (${usd})`);
      const rows = ledger(e.p).filter((r) => r.kind === 'tick');
      assert.equal(rows.length, 1, JSON.stringify(ledger(e.p)));
      assert.equal(rows[0]!.runner, cli);
      assert.ok(Math.abs(rows[0]!.cost_usd - usd) < 1e-6, `ledger ${rows[0]!.cost_usd} = reported ${usd}`);
      assert.deepEqual(e.api.escapes(), [], 'nothing tried to leave the machine');
    });

    it(`an HTTP 500 from the API fails the beat with ${cli}'s own error, arms the backoff, and changes nothing else`, T, async (t) => {
      // Wake the loop with a goal change the human made, so the beat decides again.
      e.p.writeFile('goals/ping.md', 'Answer pings.\n');
      const before = tracked(e.p);
      e.api.reset();
      e.api.queue({ status: 500, message: 'upstream exploded (fake)', sticky: true });
      const res = await e.tick();
      assert.equal(res.code, 1, res.stdout + res.stderr);
      const lines = res.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line on stderr, got: ${res.stderr}`);
      t.diagnostic(lines[0]!);
      assert.match(lines[0]!, /^looop: beat failed: /);
      assert.match(lines[0]!, errorText, 'the reason carries the CLI\'s own error');
      assert.match(lines[0]!, /upstream exploded \(fake\)/);
      assert.match(lines[0]!, /run archive: .*\/runs\//);
      const backoff = JSON.parse(readFileSync(join(e.p.dataDir, '.tick-backoff'), 'utf8'));
      assert.equal(backoff.failures, 1);
      const lastFailure = JSON.parse(readFileSync(join(e.p.dataDir, '.last-failure.json'), 'utf8'));
      assert.match(JSON.stringify(lastFailure), /upstream exploded/);
      assert.ok(e.api.turns().length >= 1, 'the CLI did call the API');
      const after = tracked(e.p);
      // A failed call that cost nothing may still leave a $0 ledger row; every other file is untouched.
      const { 'cost.jsonl': costAfter, ...restAfter } = after;
      const { 'cost.jsonl': costBefore, ...restBefore } = before;
      assert.deepEqual(restAfter, restBefore);
      const added = (costAfter ?? '').slice((costBefore ?? '').length).split('\n').filter(Boolean).map((l) => JSON.parse(l));
      assert.ok(added.every((r) => r.cost_usd === 0), `no spend recorded for a failed call: ${JSON.stringify(added)}`);
      assert.deepEqual(e.api.escapes(), []);
    });
  });
}

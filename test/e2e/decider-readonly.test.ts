// The decider only decides: with the real claude and pi against the fake API, a model that asks
// for Bash/Write during DECIDE gets nothing run, and the decision is its final message.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { missing } from '../fake-llm/clis.ts';
import type { ToolCall } from '../fake-llm/server.ts';
import { e2eProfile, journal, ledger, reportedCost, type Cli, type E2E } from './harness.ts';

const T = { timeout: 90_000 };

const TOOLS: Record<Cli, { bash: (c: string) => ToolCall; write: (path: string, content: string) => ToolCall }> = {
  claude: {
    bash: (command) => ({ name: 'Bash', input: { command, description: 'x' } }),
    write: (file_path, content) => ({ name: 'Write', input: { file_path, content } }),
  },
  pi: {
    bash: (command) => ({ name: 'bash', input: { command } }),
    write: (path, content) => ({ name: 'write', input: { path, content } }),
  },
};

for (const cli of ['claude', 'pi'] as const) {
  describe(`${cli} decider`, { skip: missing(cli) }, () => {
    let e: E2E;
    before(async () => {
      e = await e2eProfile(cli);
    });
    after(async () => e?.close());

    it('cannot run Bash or Write; the decision is its final message', T, async (t) => {
      const marker = join(e.p.root, 'decider-bash-ran');
      const written = join(e.p.root, 'written-by-decider');
      const fakeDecision = JSON.stringify({ action: 'write_goal', id: 'evil', body: 'from a file' });
      const decision = { action: 'write_goal', id: 'fin', body: 'from the final message', journal: `${cli}: final` };
      e.api.queue(
        { text: 'Let me act myself.', tools: [TOOLS[cli].bash(`touch ${marker}`), TOOLS[cli].write(written, 'x'), TOOLS[cli].write(join(e.p.dataDir, '.decision.json'), fakeDecision)] },
        { text: '```json\n' + JSON.stringify(decision) + '\n```' },
      );
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.ok(!existsSync(marker), 'the Bash call did not run');
      assert.ok(!existsSync(written), 'the Write call did not write');
      assert.ok(!existsSync(join(e.p.dataDir, 'goals', 'evil.md')));
      assert.equal(readFileSync(join(e.p.dataDir, 'goals', 'fin.md'), 'utf8'), 'from the final message\n');
      assert.match(journal(e.p).at(-1)!, new RegExp(`${cli}: final$`));
      assert.deepEqual(e.api.escapes(), []);
      t.diagnostic(`offered tools: ${JSON.stringify(e.api.turns()[0]!.body.tools.map((x: { name: string }) => x.name))}`);
    });

    it('measure: turns and cost of one decision', T, async (t) => {
      e.p.writeFile('goals/ping.md', 'Answer pings.\n');
      e.api.reset();
      const decision = { action: 'noop', reason: 'measured' };
      e.api.queue({ text: JSON.stringify(decision) });
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const rows = ledger(e.p).filter((r) => r.kind === 'tick');
      const usd = rows.at(-1)!.cost_usd;
      t.diagnostic(`MEASURE ${cli}: ${e.api.turns().length} turn(s), $${usd.toFixed(6)} per decision (reported ${reportedCost(e.raw(2)).toFixed(6)})`);
    });
  });
}

// Issue 6 test (3), the same story for claude and pi: a worker started by a start_worker decision
// runs the real CLI in its tmux window, shows the fake model's reply, takes a `looop send`, and
// flags the human through a scripted Bash tool call; ls --json and the next tick prompt carry it.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ToolCall } from '../fake-llm/server.ts';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type Cli, type E2E } from './harness.ts';
import type { WriteCall } from './tick-suite.ts';

const T = { timeout: 90_000 };

export function workerSuite(cli: Cli, _writeCall: WriteCall, bashCall: (command: string) => ToolCall): void {
  describe(`${cli} as an interactive worker`, { skip: missing(cli) }, () => {
    let e: E2E;
    const ls = () => {
      const r = e.p.run(['ls', '--json'], { env: e.env });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Array<Record<string, any>>;
    };
    // Async: the fake API answers from this process while looop waits.
    const looop = (args: string[]) => e.p.runAsync(args, { env: e.env });
    before(async () => {
      // The flag comes from a Bash tool call, which claude's default worker mode (acceptEdits) would ask about.
      e = await e2eProfile(cli, { worker_permissions: 'bypass' });
    });
    after(async () => e?.close());

    it('a start_worker decision opens a window where the CLI shows the model\'s reply', T, async () => {
      const decision = { action: 'start_worker', id: 'w1', prompt: 'Greet the human, then wait for instructions.', journal: `${cli}: started w1` };
      // The decider replies with the decision (one turn); the worker's first turn follows.
      e.api.queue({ text: JSON.stringify(decision) }, { text: 'Hello from the worker model.' });
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const w = ls().find((x) => x.id === 'w1');
      assert.ok(w, `w1 is listed: ${JSON.stringify(ls())}`);
      const seen = await looop(['expect', 'w1', 'Hello from the worker model', '--timeout', '45']);
      assert.equal(seen.code, 0, `expect: ${seen.stdout}${seen.stderr}\nscreen:\n${e.p.run(['shot', 'w1']).stdout}`);
      // The profile's own tmux.conf sets what the CLIs need; pi would otherwise advise editing ~/.tmux.conf.
      assert.doesNotMatch(e.p.run(['log', 'w1']).stdout, /extended-keys/);
      // The worker's first turn carried its prompt file (as its system prompt): the contract and the brief.
      const first = JSON.stringify(e.api.turns()[1]?.body ?? '');
      assert.match(first, /You are a looop worker/);
      assert.match(first, /Greet the human/);
    });

    it('takes a second message through `looop send` and flags the human from a Bash tool call', T, async () => {
      e.api.queue(
        { text: 'Asking the human.', tools: [bashCall('"$LOOOP_BIN" flag w1 "which branch should I use?"')] },
        { text: 'Flagged; waiting for the human.' },
      );
      const sent = await looop(['send', 'w1', 'please ask the human which branch to use', '--json']);
      assert.equal(sent.code, 0, sent.stdout + sent.stderr);
      assert.equal(JSON.parse(sent.stdout).submitted, true);
      const done = await looop(['expect', 'w1', 'Flagged; waiting for the human', '--timeout', '45']);
      assert.equal(done.code, 0, `expect: ${done.stderr}\nscreen:\n${e.p.run(['shot', 'w1']).stdout}`);
      assert.match(JSON.stringify(e.api.turns()[2]?.body?.messages ?? ''), /please ask the human which branch to use/);
      const w = ls().find((x) => x.id === 'w1')!;
      assert.equal(w.flag, 'which branch should I use?');
    });

    it('the next tick prompt carries the flag note', T, async () => {
      const noop = { action: 'noop', reason: 'the human was told', journal: `${cli}: saw the flag` };
      e.api.queue({ text: JSON.stringify(noop) });
      const before = e.api.turns().length;
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const prompt = JSON.stringify(e.api.turns()[before]?.body?.messages ?? '');
      assert.match(prompt, /You are the decider of looop/);
      assert.match(prompt, /which branch should I use\?/);
      assert.deepEqual(e.api.escapes(), [], 'nothing tried to leave the machine');
    });
  });
}

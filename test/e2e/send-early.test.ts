// Issue 6: `looop send` reaches a real claude or pi prompt also when the CLI was still starting
// (drawing, loading, submitting its initial prompt) when the text arrived. Measured with the pinned
// CLIs: text typed before the pane's tty leaves canonical mode (claude ~0.3-0.6 s, pi ~2.5-5 s after
// start) or before claude's first turn has settled is dropped, yet send reported it submitted.
// Waiting for raw mode (stty -F #{pane_tty}: -icanon) and then a screen quiet for ~1 s made 10/10
// early sends arrive; the fleet's send now waits for exactly that in a young window (src/fleet/ready.ts).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type Cli, type E2E } from './harness.ts';

const OPTS = { timeout: 60_000 };

for (const cli of ['claude', 'pi'] as Cli[]) {
  describe(`${cli}: a message sent while the CLI is still starting`, { skip: missing(cli) }, () => {
    let e: E2E;
    before(async () => {
      e = await e2eProfile(cli);
    });
    after(async () => e?.close());

    it('is submitted and reaches the model', OPTS, async () => {
      e.api.queue({ text: 'First reply.' }, { text: 'Second reply.' });
      const started = await e.p.runAsync(['start-session', 'w', 'Say hello.'], { env: e.env });
      assert.equal(started.code, 0, started.stderr);
      const sent = await e.p.runAsync(['send', 'w', 'early message while drawing', '--json'], { env: e.env });
      assert.equal(sent.code, 0, sent.stdout + sent.stderr);
      const seen = await e.p.runAsync(['expect', 'w', 'Second reply', '--timeout', '30'], { env: e.env });
      assert.equal(seen.code, 0, `the model never got the early message; screen:\n${e.p.run(['shot', 'w']).stdout}`);
      assert.ok(e.api.turns().some((t) => JSON.stringify(t.body.messages).includes('early message while drawing')));
    });
  });
}

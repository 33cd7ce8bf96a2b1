// Issue 6 test (4): a worker whose CLI stops on a first-run dialog (fresh HOME, untrusted data dir)
// is recognised from its screen and flagged with a note naming the dialog, never left silently stuck.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { detectBlocker } from '../../src/fleet/blockers.ts';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type Cli, type E2E } from './harness.ts';

const T = { timeout: 60_000 };

interface Case {
  cli: Cli;
  home: 'untrusted' | 'fresh';
  /** The dialog as it shows on the screen. */
  screen: RegExp;
  note: (dataDir: string) => RegExp;
}

const CASES: Case[] = [
  {
    cli: 'claude',
    home: 'untrusted',
    screen: /Yes, I trust this folder/,
    note: (d) => new RegExp(`^claude is asking to trust ${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — attach and answer$`),
  },
  { cli: 'claude', home: 'fresh', screen: /Choose the text style/, note: () => /^claude is showing its first-run setup \(theme picker\)/ },
  { cli: 'pi', home: 'fresh', screen: /No API key found|No models available/, note: () => /^pi has no model or API key configured/ },
];

for (const c of CASES) {
  describe(`${c.cli} in a ${c.home} HOME`, { skip: missing(c.cli) }, () => {
    let e: E2E;
    before(async () => {
      e = await e2eProfile(c.cli, {}, { home: c.home });
    });
    after(async () => e?.close());

    it('shows its first-run dialog in the worker window, and detectBlocker names it', T, async () => {
      const started = await e.p.runAsync(['start-session', 'w', 'Say hello.'], { env: e.env });
      assert.equal(started.code, 0, started.stderr);
      const seen = await e.p.runAsync(['expect', 'w', c.screen.source, '--timeout', '40'], { env: e.env });
      const shot = e.p.run(['shot', 'w'], { env: e.env }).stdout;
      assert.equal(seen.code, 0, `the dialog never showed; screen:\n${shot}`);
      assert.match(detectBlocker(shot, c.cli) ?? '(none)', c.note(e.p.dataDir));
      assert.equal(e.api.turns().length, 0, 'the CLI is stuck before its first model call');
      assert.deepEqual(e.api.escapes(), [], 'nothing tried to leave the machine');
    });

    it('the worker is flagged with that note after the next beat (src/fleet/blocked.ts)', T, async () => {
      e.api.queue({ text: 'no decision from this fake' });
      await e.tick();
      const r = e.p.run(['ls', '--json'], { env: e.env });
      const w = (JSON.parse(r.stdout) as Array<Record<string, any>>).find((x) => x.id === 'w');
      assert.match(String(w?.flag ?? '(not flagged)'), c.note(e.p.dataDir));
    });
  });
}

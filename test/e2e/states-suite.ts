// Worker states end to end with the real claude and pi against the fake API: starting → working →
// waiting → asking (claude: a Bash call needing permission; the flag names the command) → answered
// → working → waiting → exited, then kill-server → lost and a beat that decides about it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ToolCall } from '../fake-llm/server.ts';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type Cli, type E2E } from './harness.ts';
import type { WriteCall } from './tick-suite.ts';

const T = { timeout: 120_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function statesSuite(cli: Cli, writeCall: WriteCall, bashCall: (command: string) => ToolCall): void {
  describe(`${cli} worker states`, { skip: missing(cli) }, () => {
    let e: E2E;
    const seen: Array<{ t: number; state: string; source: string }> = [];
    const ls = async (): Promise<Array<Record<string, any>>> => {
      const r = await e.p.runAsync(['ls', '--json'], { env: e.env });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    /** Polls `ls --json` until `id` is in `state`; every state seen on the way is recorded. */
    const until = async (id: string, state: string, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const w = (await ls()).find((x) => x.id === id);
        if (w && seen.at(-1)?.state !== w.state) seen.push({ t: Date.now(), state: w.state, source: w.source });
        if (w?.state === state) return w;
        if (Date.now() > deadline) throw new Error(`${id} never reached ${state}; seen: ${JSON.stringify(seen)}\nevents:\n${tryEvents(id)}\nscreen:\n${e.p.run(['shot', id]).stdout}`);
        await sleep(150);
      }
    };
    const tryEvents = (id: string) => {
      try {
        return events(id).split('\n').map((l) => l.slice(0, 160)).join('\n');
      } catch {
        return '(none)';
      }
    };
    const events = (id: string) => readFileSync(join(e.p.dataDir, 'sessions', id, 'events.jsonl'), 'utf8');
    before(async () => {
      e = await e2eProfile(cli);
      const cfg = JSON.parse(readFileSync(e.p.configPath, 'utf8'));
      // Permission prompts only show without --dangerously-skip-permissions.
      const ask = { ...cfg.runners[cli], interactive: cfg.runners[cli].interactive.replace(' --dangerously-skip-permissions', '') };
      e.p.writeConfig({ ...cfg, runners: { ...cfg.runners, ask } });
    });
    after(async () => e?.close());

    it('starting → working → waiting, from the CLI\'s own events', T, async () => {
      e.api.queue({ text: 'Hello, ready for work.', delayMs: 4000 });
      const r = await e.p.runAsync(['start-session', 'w1', 'Say hello, then wait.', cli === 'claude' ? 'ask' : cli], { env: e.env });
      assert.equal(r.code, 0, r.stderr);
      const w = await until('w1', 'waiting');
      const states = seen.map((s) => s.state);
      assert.ok(states.includes('working'), `${JSON.stringify(seen)}\n${tryEvents('w1')}`);
      assert.ok(states.indexOf('working') < states.lastIndexOf('waiting'), JSON.stringify(seen));
      assert.equal(w.source, cli === 'claude' ? 'hooks' : 'extension');
      const explained = e.p.run(['explain', 'w1'], { env: e.env });
      assert.equal(explained.code, 0, explained.stderr);
      assert.match(explained.stdout, cli === 'claude' ? /claude hooks[\s\S]*Stop/ : /pi extension[\s\S]*agent_end/);
    });

    if (cli === 'claude') {
      it('asking: a Bash call needing permission flags the human with the exact command; answered → working → waiting', T, async () => {
        e.api.queue({ text: 'Running it.', tools: [bashCall('node -e 1 && echo perceived-ok')] }, { text: 'It printed perceived-ok.', delayMs: 3000 });
        assert.equal((await e.p.runAsync(['send', 'w1', 'run the command'], { env: e.env })).code, 0);
        const w = await until('w1', 'asking');
        // The prompt is on screen before claude's Notification hook tells: either source may decide first.
        assert.ok(['hooks', 'screen'].includes(w.source), w.source);
        assert.match(String(w.flag), /Bash: node -e 1 && echo perceived-ok/);
        assert.equal((await e.p.runAsync(['key', 'w1', 'Enter'], { env: e.env })).code, 0);
        await until('w1', 'working');
        const done = await until('w1', 'waiting');
        assert.equal(done.flag, null, 'the auto-flag cleared itself once answered');
      });
    } else {
      it('a tool call: working while it runs, waiting after', T, async () => {
        e.api.queue({ text: 'Running it.', tools: [bashCall('sleep 8; echo perceived-ok')] }, { text: 'It printed perceived-ok.' });
        assert.equal((await e.p.runAsync(['send', 'w1', 'run the command'], { env: e.env })).code, 0);
        await until('w1', 'working');
        await until('w1', 'waiting');
        assert.match(events('w1'), /"tool_call"/);
      });
    }

    it('exited when the CLI quits', T, async () => {
      await e.p.runAsync(['send', 'w1', cli === 'claude' ? '/exit' : '/quit'], { env: e.env });
      await until('w1', 'exited');
    });

    it('lost after kill-server; the next beat is told it was lost and when', T, async () => {
      e.api.queue({ text: 'Second worker up.' });
      assert.equal((await e.p.runAsync(['start-session', 'w2', 'Say hi.'], { env: e.env })).code, 0);
      const stop = Date.now();
      await until('w2', 'waiting');
      // event → ls: how long after the CLI's own event did `ls` show it (bench figure, not asserted)
      const ev = events('w2').trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.ev === 'Stop' || x.ev === 'agent_end');
      if (ev) console.log(`# bench ${cli}: turn end event at ${ev.ts}, ls saw waiting ${(seen.at(-1)!.t / 1000 - ev.ts).toFixed(1)} s later (1 s event resolution); start→waiting ${((seen.at(-1)!.t - stop) / 1000).toFixed(1)} s`);
      e.p.tmux(['kill-server']);
      const w = await until('w2', 'lost');
      assert.equal(w.source, 'record');
      // w2 may have been lost before it asked for its first turn: nothing queued for it may answer the decider.
      e.api.reset();
      const noop = { action: 'noop', reason: 'w2 was lost; the human restarts it', journal: `${cli}: saw w2 lost` };
      e.api.queue({ text: JSON.stringify(noop) });
      const before = e.api.turns().length;
      const res = await e.tick();
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const prompt = JSON.stringify(e.api.turns()[before]?.body?.messages ?? '');
      assert.match(prompt, /\\"id\\":\\"w2\\",\\"state\\":\\"lost\\"/);
      assert.match(prompt, /lost_since/);
    });
  });
}

// Workers that survive: the real claude and pi, each with the conversation id looop fixed at start,
// lose their tmux server (a reboot), show as lost, and `looop resume` continues the SAME conversation:
// the fake API's next request carries the earlier turns. Two workers in one directory keep their own.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type Cli, type E2E } from './harness.ts';

const T = { timeout: 180_000 };

type Msg = { role: string; content: unknown };
const textOf = (m: Msg) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content));

for (const cli of ['claude', 'pi'] as Cli[]) {
  describe(`${cli}: a worker resumes its own conversation after the tmux server died`, { skip: missing(cli) }, () => {
    let e: E2E;
    const looop = (args: string[]) => e.p.runAsync(args, { env: e.env });
    const ls = () => {
      const r = e.p.run(['ls', '--json'], { env: e.env });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Array<Record<string, any>>;
    };
    const expectText = async (id: string, text: string) => {
      const seen = await looop(['expect', id, text, '--timeout', '45']);
      assert.equal(seen.code, 0, `expect ${text}: ${seen.stderr}\nscreen:\n${e.p.run(['shot', id], { env: e.env }).stdout}`);
    };
    /** Start a worker and have two turns with it. */
    const twoTurns = async (id: string, word: string) => {
      e.api.queue({ text: `Ready ${word}.` });
      const started = await looop(['start-session', id, `Remember the word ${word}.`]);
      assert.equal(started.code, 0, started.stderr);
      await expectText(id, `Ready ${word}`);
      e.api.queue({ text: `Noted ${word} twice.` });
      const sent = await looop(['send', id, `second turn for ${word}`, '--json']);
      assert.equal(sent.code, 0, sent.stdout + sent.stderr);
      await expectText(id, `Noted ${word} twice`);
    };
    /** After resume: one more turn; returns the messages of the request that carried it. */
    const thirdTurn = async (id: string, word: string): Promise<Msg[]> => {
      e.api.queue({ text: `Back with ${word}.` });
      // The reply and the API request are the proof; send's own submit check can misread claude's redraw
      // (the line lands in history on the row where the input line was).
      const sent = await looop(['send', id, `third turn for ${word}`, '--json']);
      assert.ok(sent.code === 0 || /not submitted/.test(sent.stderr), `${sent.stdout}${sent.stderr}\nscreen:\n${e.p.run(['shot', id], { env: e.env }).stdout}`);
      await expectText(id, `Back with ${word}`);
      const turn = e.api.turns().filter((t) => JSON.stringify(t.body.messages).includes(`third turn for ${word}`)).at(-1);
      assert.ok(turn, 'the third turn reached the API');
      return turn.body.messages as Msg[];
    };
    before(async () => {
      e = await e2eProfile(cli);
    });
    after(async () => e?.close());

    it('the record fixes the conversation id and the brief is not on the command line', T, async () => {
      await twoTurns('w1', 'PAPAYA');
      const record = JSON.parse(readFileSync(join(e.p.dataDir, 'sessions', 'w1', 'worker.json'), 'utf8'));
      assert.match(record.session_id, /^[0-9a-f-]{36}$/);
      if (cli === 'pi') assert.match(record.session_file, new RegExp(`sessions/w1/pi-${record.session_id}\\.jsonl$`));
      assert.ok(record.command.includes(record.session_id) || record.command.includes(record.session_file));
      assert.doesNotMatch(record.command, /PAPAYA/, 'the brief is not in argv');
      assert.match(record.resume, cli === 'claude' ? /--resume / : /--session /);
      // The brief reached the model (as its system prompt), with the contract.
      const first = JSON.stringify(e.api.turns()[0]?.body ?? '');
      assert.match(first, /Remember the word PAPAYA/);
      assert.match(first, /You are a looop worker/);
    });

    it('kill-server: ls shows the worker lost; resume continues the same conversation', T, async () => {
      e.p.tmux(['kill-server']);
      const lost = ls().find((w) => w.id === 'w1');
      assert.equal(lost?.state, 'lost', JSON.stringify(ls()));
      const res = await looop(['resume', '--lost', '--json']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.deepEqual(JSON.parse(res.stdout).resumed, ['w1']);
      const back = ls().find((w) => w.id === 'w1');
      assert.ok(['starting', 'working', 'waiting', 'asking'].includes(String(back?.state)), `live again: ${JSON.stringify(back)}`);
      // claude also puts a role "system" note among the messages: count the conversation's own turns.
      const msgs = (await thirdTurn('w1', 'PAPAYA')).filter((m) => m.role === 'user' || m.role === 'assistant');
      // kickoff, reply, second turn, reply, third turn: the earlier turns came back from the saved conversation.
      const users = msgs.filter((m) => m.role === 'user').map(textOf);
      const bots = msgs.filter((m) => m.role === 'assistant').map(textOf);
      assert.equal(msgs.length, 5, JSON.stringify(msgs).slice(0, 2000));
      assert.match(users[0]!, /do the job in the BRIEF/);
      assert.equal(users.length, 3);
      assert.match(users[1]!, /second turn for PAPAYA/);
      assert.match(users[2]!, /third turn for PAPAYA/);
      assert.match(bots.join(' '), /Ready PAPAYA[\s\S]*Noted PAPAYA twice/);
    });

    if (cli === 'claude') {
      it('two workers in one directory each resume their own conversation', T, async () => {
        await twoTurns('a', 'APPLE');
        await twoTurns('b', 'BANANA');
        e.p.tmux(['kill-server']);
        const res = await looop(['resume', '--lost', '--json']);
        assert.equal(res.code, 0, res.stdout + res.stderr);
        assert.deepEqual(JSON.parse(res.stdout).resumed.sort(), ['a', 'b', 'w1']);
        const a = JSON.stringify(await thirdTurn('a', 'APPLE'));
        const b = JSON.stringify(await thirdTurn('b', 'BANANA'));
        assert.match(a, /second turn for APPLE/);
        assert.doesNotMatch(a, /BANANA|PAPAYA/);
        assert.match(b, /second turn for BANANA/);
        assert.doesNotMatch(b, /APPLE|PAPAYA/);
      });
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BIN, makeProfile } from '../helpers/profile.ts';

const Entry = z.object({ ts: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).nullable(), text: z.string() }).strict();
const Run = z
  .object({
    id: z.string(),
    ts: z.string().datetime(),
    result: z.string(),
    action: z.string().nullable(),
    reason: z.string().nullable(),
    journal: z.string().nullable(),
    cost_usd: z.number().nullable(),
    dir: z.string(),
  })
  .strict();

const JOURNAL = ['- 2030-01-02 09:00 started worker setup', '- 2030-01-02 09:05 noop: waiting on the human', 'a hand-written note', '', '- 2030-01-02 10:00 wrote goal ship'].join('\n') + '\n';

test('journal prints the moves; --tail N the last N; --json an array of {ts, text}', () => {
  const p = makeProfile('looop-journal');
  try {
    assert.equal(p.run(['journal']).stdout, '', 'no journal yet: nothing, exit 0');
    p.writeFile('journal.md', JOURNAL);
    assert.equal(p.run(['journal']).stdout, '2030-01-02 09:00 started worker setup\n2030-01-02 09:05 noop: waiting on the human\na hand-written note\n2030-01-02 10:00 wrote goal ship\n');
    assert.equal(p.run(['journal', '--tail', '1']).stdout, '2030-01-02 10:00 wrote goal ship\n');
    const all = z.array(Entry).parse(JSON.parse(p.run(['journal', '--json']).stdout));
    assert.equal(all.length, 4);
    assert.deepEqual(all[2], { ts: null, text: 'a hand-written note' });
    assert.deepEqual(z.array(Entry).parse(JSON.parse(p.run(['journal', '--tail', '2', '--json']).stdout)).map((e) => e.text), ['a hand-written note', 'wrote goal ship']);
    assert.equal(p.run(['journal', '--tail', '-3']).code, 2);
  } finally {
    p.cleanup();
  }
});

test('journal --follow --json streams new lines as NDJSON as they are appended', async () => {
  const p = makeProfile('looop-journal');
  const path = p.writeFile('journal.md', JOURNAL);
  const child = spawn(process.execPath, [BIN, 'journal', '--follow', '--json', '--tail', '1'], { env: p.env });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const seen = async (re: RegExp) => {
      for (let i = 0; i < 150 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, re);
    };
    await seen(/wrote goal ship/);
    appendFileSync(path, '- 2030-01-02 11:00 started worker build\n');
    await seen(/started worker build/);
    const lines = out.trim().split('\n').map((l) => Entry.parse(JSON.parse(l)));
    assert.deepEqual(lines.map((l) => l.text), ['wrote goal ship', 'started worker build']);
  } finally {
    child.kill('SIGTERM');
    p.cleanup();
  }
});

test('runs --json lists archived beats with result, action and cost from the ledger; runs show prints one', () => {
  const p = makeProfile('looop-runs');
  try {
    assert.match(p.run(['runs']).stdout, /no runs yet/);
    const runs = join(p.dataDir, 'runs');
    for (const id of ['20300102-090000-a1', '20300102-091000-b2', '20300102-092000-c3']) mkdirSync(join(runs, id), { recursive: true });
    writeFileSync(join(runs, '20300102-090000-a1', 'result.json'), JSON.stringify({ ts: '2020-01-02T09:00:00Z', result: 'acted', action: 'start_worker', journal: 'started worker setup' }));
    writeFileSync(join(runs, '20300102-090000-a1', 'output.log'), 'claude · model x\n✓ claude done\n');
    writeFileSync(join(runs, '20300102-090000-a1', 'prompt.md'), '# INSTRUCTIONS\n');
    writeFileSync(join(runs, '20300102-091000-b2', 'result.json'), JSON.stringify({ ts: '2020-01-02T09:10:00Z', result: 'failed', reason: 'no decision' }));
    writeFileSync(join(runs, '20300102-092000-c3', 'result.json'), '{torn');
    p.writeFile('cost.jsonl', [
      JSON.stringify({ ts: '2020-01-02T09:00:30Z', kind: 'tick', id: '20300102-090000-a1', runner: 'claude', cost_usd: 0.04 }),
      JSON.stringify({ ts: '2020-01-02T09:10:30Z', kind: 'session', id: '20300102-091000-b2', runner: 'claude', cost_usd: 9 }),
    ].join('\n') + '\n');
    const list = z.array(Run).parse(JSON.parse(p.run(['runs', '--json']).stdout));
    assert.deepEqual(list.map((r) => [r.id.slice(-2), r.result, r.action, r.cost_usd]), [
      ['a1', 'acted', 'start_worker', 0.04],
      ['b2', 'failed', null, null],
      ['c3', 'unknown', null, null],
    ]);
    assert.equal(list[1]!.reason, 'no decision');
    assert.match(p.run(['runs']).stdout, /20300102-090000-a1\s+\S+ \S+\s+acted\s+start_worker\s+\$0\.0400\s+started worker setup/);

    const show = p.run(['runs', 'show', '20300102-090000-a1']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^result {2}acted \(start_worker\)$/m);
    assert.match(show.stdout, /^cost {4}\$0\.0400$/m);
    assert.match(show.stdout, /✓ claude done\n$/);
    assert.equal(p.run(['runs', 'show', '20300102-090000-a1', '--prompt']).stdout, '# INSTRUCTIONS\n');
    const json = JSON.parse(p.run(['runs', 'show', '20300102-090000-a1', '--json']).stdout);
    assert.equal(json.output, 'claude · model x\n✓ claude done\n');
    const missing = p.run(['runs', 'show', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^looop: no run "nope"/);
    assert.equal(p.run(['runs', 'show', '../etc']).code, 1);
  } finally {
    p.cleanup();
  }
});

// An OSC 52 clipboard write and a title change planted by the decider, a sensor, a worker's flag note and a
// lease note never reach the person's terminal raw: tick, journal, runs, status, claims and ls escape them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import { RUNNERS } from '../fleet/fixture.ts';

const OSC52 = '\x1b]52;c;Y3VybCAtcyBldmlsLmV4YW1wbGUvcCB8IHNoCg==\x07';
const TITLE = '\x1b]0;looop: all green\x07';
const PAYLOAD = `${OSC52}${TITLE}\x9b2J\u202e`;

const p = makeProfile('looop-osc');
after(() => p.cleanup());
const r = scriptedRunner(p);
p.writeConfig({ default: 'scripted', runners: { scripted: { tick: `${r.dir}/runner.sh` }, sh: RUNNERS.sh } });

function assertClean(what: string, out: string): void {
  assert.ok(!out.includes('\x07'), `${what}: BEL reached the terminal: ${JSON.stringify(out)}`);
  assert.ok(!out.includes('\x1b]'), `${what}: an OSC sequence reached the terminal`);
  assert.ok(!out.includes('\x9b') && !out.includes('\u202e'), `${what}: a C1 control or bidi override reached the terminal: ${JSON.stringify(out)}`);
}

test('decider, sensor, worker and lease text is escaped on every human-facing print', () => {
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\nprintf \'{"signal":{"s":"%s"}}\\n\' "$(date +%s%N)"\n', 0o755);
  p.writeFile('sensors/evil.sh', `#!/bin/sh\nprintf 'not json \\033]52;c;ZXZpbA==\\007 \\033]0;pwned\\007\\n'; exit 3\n`, 0o755);
  r.queue({ action: 'run_shell', cmd: `echo ${JSON.stringify(PAYLOAD)}; exit 7`, reason: `why ${PAYLOAD}`, journal: `shell ${PAYLOAD}` });
  r.queue({ action: 'noop', reason: `ok ${PAYLOAD}`, journal: `all good ${PAYLOAD}` });
  const outs: Array<[string, string]> = [];
  for (let i = 0; i < 2; i++) {
    // A failed run_shell holds the next beat back; this test wants both moves now.
    rmSync(`${p.dataDir}/.tick-backoff`, { force: true });
    const t = p.run(['tick']);
    outs.push([`tick ${i}`, t.stdout + t.stderr]);
  }
  assert.equal(r.calls(), 2);
  assert.ok(p.run(['claim', 'deploy', '--session', 'w9', '--note', `mine ${PAYLOAD}`]).code === 0);
  assert.equal(p.run(['start-session', 'w1', 'hi', 'sh']).code, 0);
  assert.equal(p.run(['flag', 'w1', `look ${PAYLOAD}`]).code, 0);
  for (const verb of [['journal'], ['runs'], ['status'], ['claims'], ['ls']]) {
    const res = p.run(verb);
    assert.ok(res.stderr.length === 0 || !/\n\s+at /.test(res.stderr), `${verb[0]}: ${res.stderr}`);
    outs.push([verb[0]!, res.stdout + res.stderr]);
  }
  const runId = JSON.parse(p.run(['runs', '--json']).stdout)[0].id as string;
  outs.push(['runs show', p.run(['runs', 'show', runId]).stdout]);
  for (const [what, out] of outs) assertClean(what, out);
  // The text is still there, made visible.
  assert.match(outs.find(([w]) => w === 'journal')![1], /all good \\x1b\]52;c;/);
  assert.match(outs.find(([w]) => w === 'claims')![1], /mine \\x1b\]52/);
});

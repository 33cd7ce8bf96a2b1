// Every verb is parsed by one parser on every path: the same words mean the same thing whether a verb
// is hot or not, bad words get one line and exit 2, and the inputs the two old parsers disagreed on
// behave as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { fleetProfile, transcript, unterm, until } from '../fleet/fixture.ts';

/** `looop --help` lists each verb once as `  looop <verb> ...`. */
function verbs(p: Profile): string[] {
  const help = p.run(['--help']);
  assert.equal(help.code, 0, help.stderr);
  return [...new Set([...help.stdout.matchAll(/^ {2}looop ([a-z][a-z-]*)/gm)].map((m) => m[1]!))];
}

const oneLine = (s: string) => s.trim().split('\n').length === 1;

test('every verb: --help answers, an unknown flag and a missing argument are one line with exit 2', async () => {
  const p = makeProfile('looop-parity');
  try {
    const all = verbs(p);
    assert.ok(all.length > 25, `found ${all.length} verbs`);
    for (const v of ['send', 'start-session', 'claim', 'completion', 'ls', 'tick']) assert.ok(all.includes(v), `--help lists ${v}`);
    const runs = await Promise.all(all.map((v) => Promise.all([p.runAsync([v, '--help']), p.runAsync([v, '--no-such-flag'])])));
    all.forEach((v, i) => {
      const [help, bad] = runs[i]!;
      assert.equal(help.code, 0, `${v} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`looop ${v}\\b`), `${v} --help shows its usage`);
      assert.equal(bad.code, 2, `${v} --no-such-flag exits 2 (${bad.stderr})`);
      assert.ok(oneLine(bad.stderr), `${v} --no-such-flag is one line: ${bad.stderr}`);
      assert.match(bad.stderr, /--no-such-flag/);
      assert.match(bad.stderr, new RegExp(`see looop ${v} --help`));
    });
    for (const v of ['send', 'key', 'claim', 'release', 'start-session', '_cost', 'attach', 'expect', 'resize']) {
      const r = p.run([v]);
      assert.equal(r.code, 2, `${v} without arguments: ${r.stderr}`);
      assert.ok(oneLine(r.stderr), r.stderr);
      assert.match(r.stderr, /missing/);
      assert.match(r.stderr, new RegExp(`see looop ${v} --help`));
    }
  } finally {
    p.cleanup();
  }
});

test('values are typed once: numbers are plain decimals, durations take units everywhere', () => {
  const p = makeProfile('looop-parity');
  try {
    // 1e3 is not silently a thousand dollars.
    const big = p.run(['_cost', 'tick', 'w1', 'pi', '1e3']);
    assert.equal(big.code, 2, big.stderr);
    assert.match(big.stderr, /usd/);
    assert.equal(existsSync(join(p.dataDir, 'cost.jsonl')) ? readFileSync(join(p.dataDir, 'cost.jsonl'), 'utf8') : '', '');
    assert.equal(p.run(['_cost', 'tick', 'w1', 'pi', '0.25']).code, 0);

    const tail = p.run(['journal', '--tail', 'abc']);
    assert.equal(tail.code, 2);
    assert.match(tail.stderr, /--tail .*number/);

    // --ttl takes a duration like --every does.
    const c = p.run(['claim', 'deploy', '--session', 'me', '--ttl', '1h']);
    assert.equal(c.code, 0, c.stderr);
    const claims = JSON.parse(p.run(['claims', '--json']).stdout) as Array<{ ttl_s: number }>;
    assert.equal(claims[0]!.ttl_s, 3600);
    const bad = p.run(['claim', 'other', '--session', 'me', '--ttl', '1 fortnight']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--ttl/);
    assert.equal(p.run(['claim', 'third', '--session', 'me', '--ttl=90']).code, 0, 'bare seconds and --flag=value');
  } finally {
    p.cleanup();
  }
});

test('top-level typos get a suggestion; completion and its alias config print the scripts', () => {
  const p = makeProfile('looop-parity');
  try {
    const typo = p.run(['sttaus']);
    assert.equal(typo.code, 2);
    assert.ok(oneLine(typo.stderr), typo.stderr);
    assert.match(typo.stderr, /did you mean status/);
    for (const verb of ['completion', 'config']) {
      const z = p.run([verb, 'zsh']);
      assert.equal(z.code, 0, z.stderr);
      assert.match(z.stdout, /^#compdef looop/);
      const b = p.run([verb, 'bash']);
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stdout, /complete -F _looop looop/);
    }
  } finally {
    p.cleanup();
  }
});

test('"-" reads stdin: start-session <id> - takes the brief, send <id> - the text', async () => {
  const p = fleetProfile();
  try {
    const s = p.run(['start-session', 'rx', '-', 'recv'], { input: 'brief from stdin' });
    assert.equal(s.code, 0, s.stderr);
    assert.match(readFileSync(join(p.dataDir, 'prompts', 'rx.md'), 'utf8'), /brief from stdin/);
    const r = p.run(['send', 'rx', '-'], { input: 'typed from stdin' });
    assert.equal(r.code, 0, r.stderr);
    await until('stdin text', () => unterm(transcript(p, 'rx')).includes('typed from stdin'));
    // After `--`, a word that looks like a flag is text.
    const dash = p.run(['send', 'rx', '--', '--not-a-flag']);
    assert.equal(dash.code, 0, dash.stderr);
    await until('dashed text', () => transcript(p, 'rx').includes('--not-a-flag'));
  } finally {
    p.cleanup();
  }
});

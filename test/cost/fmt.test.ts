import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile, ROOT, type Profile } from '../helpers/profile.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'streams');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const COST_ENV = { LOOOP_COST_KIND: 'tick', LOOOP_COST_ID: 'run-1', LOOOP_COST_RUNNER: 'claude' };

function ledger(p: Profile): Array<Record<string, unknown>> {
  const path = join(p.dataDir, 'cost.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

test('claude stream-json: tool calls with their key argument, assistant text, tool errors, and the final total_cost_usd recorded', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('claude-success.ndjson'), env: COST_ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^claude · model claude-sonnet-4-5/m);
    assert.match(r.stdout, /^→ Read \/data\/goals\/setup\.md$/m);
    assert.match(r.stdout, /^→ Bash ls sensors\/ && cat snapshots\/sensor-today\.json$/m);
    assert.match(r.stdout, /^→ Write \/data\/\.decision\.json$/m);
    assert.match(r.stdout, /^✗ tool error: Exit code 2 ls: cannot access/m);
    assert.match(r.stdout, /^Let me look at the goals first\.$/m);
    assert.match(r.stdout, /^✓ claude done · 9 turns · 14\.2 s · \$0\.0423$/m);
    assert.doesNotMatch(r.stdout, /"type"/, 'no raw JSON events leak through');
    const rows = ledger(p);
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0], ts: undefined }, { ts: undefined, kind: 'tick', id: 'run-1', runner: 'claude', cost_usd: 0.042312 });
    assert.ok(Number.isFinite(Date.parse(rows[0]!.ts as string)));
  } finally {
    p.cleanup();
  }
});

test("pi --mode json: spend is the sum of assistant message_end usage.cost.total (turn_end repeats are not counted)", () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('pi-success.ndjson'), env: { ...COST_ENV, LOOOP_COST_RUNNER: 'pi' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Checking the sensors\.$/m);
    assert.match(r.stdout, /^→ bash ls sensors$/m);
    assert.match(r.stdout, /^→ write \.decision\.json$/m);
    assert.match(r.stdout, /^Decision written\.$/m);
    assert.doesNotMatch(r.stdout, /setup goal is open/, 'thinking is not printed');
    assert.equal(r.stdout.match(/Checking the sensors/g)?.length, 1, 'each message printed once');
    const rows = ledger(p);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.cost_usd, 0.0132);
    assert.equal(rows[0]!.runner, 'pi');
  } finally {
    p.cleanup();
  }
});

test('pi exits 0 on an API error, but _fmt reports it as a failed run: exit 1, the error on stderr, spend still recorded', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('pi-api-error.ndjson'), env: { ...COST_ENV, LOOOP_COST_RUNNER: 'pi' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^looop: runner failed: pi's last assistant message stopped with "error": 401 .*invalid x-api-key/m);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stdout, /✗ pi API error: 401/);
    assert.equal(ledger(p)[0]!.cost_usd, 0);
  } finally {
    p.cleanup();
  }
});

test('a pi retry that then succeeds is a success; a failing tool call is shown, not fatal', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('pi-retry-then-success.ndjson') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /retrying \(attempt 1\/3 in 2\.0 s\): 529 overloaded/);
    assert.match(r.stdout, /✗ bash failed: Command exited with code 1/);
    assert.equal(ledger(p).length, 0, 'no LOOOP_COST_* env: nothing recorded');
  } finally {
    p.cleanup();
  }
});

test('claude result is_error is a failed run with the API error on stderr', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('claude-api-error.ndjson'), env: COST_ENV });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^looop: runner failed: claude reported an error: API Error: 401/m);
  } finally {
    p.cleanup();
  }
});

test('claude permission denials are warned about on stderr (the run itself did not fail)', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('claude-permission-denied.ndjson'), env: COST_ENV });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /claude denied 1 tool call\(s\): Write \/data\/\.decision\.json/);
    assert.equal(ledger(p)[0]!.cost_usd, 0.0117);
  } finally {
    p.cleanup();
  }
});

test('a claude stream cut off before its result event (killed, crashed) is a failed run', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('claude-killed.ndjson') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ended without a result event/);
  } finally {
    p.cleanup();
  }
});

test('an empty stream (the runner never started) is a failed run that says so', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: '' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no runner events on stdin/);
  } finally {
    p.cleanup();
  }
});

test('garbage in: non-JSON lines, unknown events and broken shapes pass through cleaned, never a crash', () => {
  const p = makeProfile('looop-fmt');
  try {
    const r = p.run(['_fmt'], { input: fixture('garbage.txt') });
    assert.doesNotMatch(r.stderr, /internal error|TypeError|at .*\.mjs/);
    assert.match(r.stdout, /^plain text line from a wrapper script$/m);
    assert.match(r.stdout, /^red error with osc and a bell$/m);
    assert.match(r.stdout, /^progress 100%$/m, 'a \\r redraw shows the final state');
    assert.match(r.stdout, /^\{"type":"mystery_event","payload":\{"x":1\}\}$/m);
    assert.match(r.stdout, /^\[1,2,3\]$/m);
    assert.match(r.stdout, /^binary junk$/m);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f]/, 'no escape or control characters survive');
    assert.ok(r.stdout.split('\n').every((l) => l.length < 2100), 'long lines are clipped');
    assert.match(r.stdout, /… \(\+98000 chars\)/);
  } finally {
    p.cleanup();
  }
});

test('a torrent of runner output (many large events) streams through without blowing up', () => {
  const p = makeProfile('looop-fmt');
  try {
    const line = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'y'.repeat(500) }] } });
    const big = `${line}\n`.repeat(1500) + fixture('claude-success.ndjson');
    const r = p.run(['_fmt'], { input: big });
    assert.equal(r.code, 0, r.stderr.slice(0, 500));
    assert.match(r.stdout, /✓ claude done/);
  } finally {
    p.cleanup();
  }
});

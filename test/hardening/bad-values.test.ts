// Numbers from the command line and from files are bounded: a huge TTL or a corrupt lease is refused or
// ignored, never fatal, and no listing prints a stack trace.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import { parseClaim } from '../../src/claims/read.ts';

const p = makeProfile('looop-bad');
after(() => p.cleanup());
const r = scriptedRunner(p);

const noStack = (what: string, s: string) => assert.ok(!/internal error|\n\s+at /.test(s), `${what} printed a stack: ${s}`);

test('claim --ttl 99999999999999999 is refused with one line and writes nothing', () => {
  p.run(['tick', '--dry-run']);
  const res = p.run(['claim', 'W1', '--session', 'a', '--ttl', '99999999999999999']);
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /--ttl must be a whole number of seconds from 1 to/);
  assert.equal(res.stderr.trim().split('\n').length, 1);
  assert.ok(!existsSync(join(p.dataDir, 'claims', 'W1.json')));
});

test('hand-written leases with huge TTLs or far dates are corrupt: listings and beats go on', () => {
  const claims = join(p.dataDir, 'claims');
  writeFileSync(join(claims, 'big.json'), JSON.stringify({ session: 'z', ts: '2026-01-01T00:00:00Z', ttl_s: 1e300 }));
  writeFileSync(join(claims, 'far.json'), JSON.stringify({ session: 'z', ts: '+275760-09-13T00:00:00.000Z', ttl_s: 5 }));
  writeFileSync(join(claims, 'nan.json'), '{"session":"z","ts":"2026-01-01T00:00:00Z","ttl_s":"x"}');
  for (const verb of [['claims'], ['status'], ['claims', '--json'], ['status', '--json']]) {
    const res = p.run(verb);
    assert.equal(res.code, 0, `${verb.join(' ')}: ${res.stderr}`);
    noStack(verb.join(' '), res.stdout + res.stderr);
  }
  r.queue({ action: 'noop', reason: 'fine' });
  const t = p.run(['tick']);
  assert.equal(t.code, 0, t.stderr);
  noStack('tick', t.stdout + t.stderr);
  assert.ok(!existsSync(join(claims, 'big.json')), 'the corrupt lease was reaped');
  assert.equal(parseClaim(JSON.stringify({ session: 'z', ts: '2026-01-01T00:00:00Z', ttl_s: 60 }), 'ok')?.ttl_s, 60);
});

test('a backoff file with absurd numbers counts as failing once, not as a crash', () => {
  writeFileSync(join(p.dataDir, '.tick-backoff'), JSON.stringify({ failures: 1e308, last_failure_ts: '+275760-09-13T00:00:00.000Z', policy: '' }));
  writeFileSync(join(p.dataDir, '.next-interval'), '1e300\n');
  for (const verb of [['status'], ['tick']]) {
    const res = p.run(verb);
    noStack(verb.join(' '), res.stdout + res.stderr);
    assert.ok(res.code === 0 || res.code === 1, `${verb[0]}: ${res.code} ${res.stderr}`);
  }
});

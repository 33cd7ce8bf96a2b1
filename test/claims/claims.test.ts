import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { makeProfile } from '../helpers/profile.ts';

const ClaimsJson = z.array(
  z
    .object({
      name: z.string(),
      session: z.string(),
      ts: z.string().datetime(),
      ttl_s: z.number().int().positive().nullable(),
      note: z.string().nullable(),
      external: z.boolean(),
      expires_at: z.string().datetime().nullable(),
      alive: z.boolean().nullable(),
    })
    .strict(),
);

test('claim takes the lease, claims --json lists it with stable keys', () => {
  const p = makeProfile('looop-claims');
  try {
    const r = p.run(['claim', 'deploy', '--session', 'alice', '--ttl', '600', '--note', 'ship v2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /claimed deploy for session alice/);
    const file = JSON.parse(readFileSync(join(p.dataDir, 'claims', 'deploy.json'), 'utf8'));
    assert.equal(file.session, 'alice');
    assert.equal(file.name, 'deploy');
    assert.equal(file.ttl_s, 600);
    assert.equal(file.note, 'ship v2');
    const list = ClaimsJson.parse(JSON.parse(p.run(['claims', '--json']).stdout));
    assert.equal(list.length, 1);
    assert.equal(list[0]!.name, 'deploy');
    assert.equal(list[0]!.external, true);
    assert.ok(list[0]!.expires_at);
    const human = p.run(['claims']);
    assert.match(human.stdout, /deploy\s+alice \(external\)/);
  } finally {
    p.cleanup();
  }
});

test('a lease held by another live session is refused with exit 1 naming the holder', () => {
  const p = makeProfile('looop-claims');
  try {
    assert.equal(p.run(['claim', 'deploy', '--session', 'alice']).code, 0);
    const r = p.run(['claim', 'deploy', '--session', 'bob']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^looop: cannot claim "deploy": held by session alice /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  } finally {
    p.cleanup();
  }
});

test('re-claiming your own lease renews it and keeps its note and TTL', async () => {
  const p = makeProfile('looop-claims');
  try {
    p.run(['claim', 'deploy', '--session', 'alice', '--ttl', '60', '--note', 'first']);
    const before = JSON.parse(readFileSync(join(p.dataDir, 'claims', 'deploy.json'), 'utf8'));
    await new Promise((r) => setTimeout(r, 20));
    const r = p.run(['claim', 'deploy', '--session', 'alice']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /renewed deploy/);
    const after = JSON.parse(readFileSync(join(p.dataDir, 'claims', 'deploy.json'), 'utf8'));
    assert.ok(Date.parse(after.ts) > Date.parse(before.ts));
    assert.equal(after.note, 'first');
    assert.equal(after.ttl_s, 60);
  } finally {
    p.cleanup();
  }
});

test("a worker's LOOOP_SESSION_ID wins over --session, and its lease is not external", () => {
  const p = makeProfile('looop-claims');
  try {
    const r = p.run(['claim', 'build', '--session', 'other'], { env: { LOOOP_SESSION_ID: 'w1' } });
    assert.equal(r.code, 0, r.stderr);
    const file = JSON.parse(readFileSync(join(p.dataDir, 'claims', 'build.json'), 'utf8'));
    assert.equal(file.session, 'w1');
    assert.equal(file.external, undefined);
  } finally {
    p.cleanup();
  }
});

test('without LOOOP_SESSION_ID or --session, claim is a clear usage error', () => {
  const p = makeProfile('looop-claims');
  try {
    const r = p.run(['claim', 'deploy']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /LOOOP_SESSION_ID.*--session/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  } finally {
    p.cleanup();
  }
});

test('a lease past its TTL can be taken by another session', () => {
  const p = makeProfile('looop-claims');
  try {
    mkdirSync(join(p.dataDir, 'claims'), { recursive: true });
    const old = new Date(Date.now() - 120_000).toISOString();
    writeFileSync(join(p.dataDir, 'claims', 'deploy.json'), JSON.stringify({ session: 'alice', name: 'deploy', ts: old, ttl_s: 60 }));
    const r = p.run(['claim', 'deploy', '--session', 'bob']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /took it over from alice: its lease expired/);
  } finally {
    p.cleanup();
  }
});

test('release: only the holder drops a lease, --force drops anyone\'s, an absent lease is fine', () => {
  const p = makeProfile('looop-claims');
  try {
    p.run(['claim', 'deploy', '--session', 'alice']);
    const wrong = p.run(['release', 'deploy', '--session', 'bob']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /held by session alice/);
    assert.equal(p.run(['release', 'deploy', '--session', 'alice']).code, 0);
    assert.deepEqual(JSON.parse(p.run(['claims', '--json']).stdout), []);
    const again = p.run(['release', 'deploy', '--session', 'alice']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /was not claimed/);
    p.run(['claim', 'x', '--session', 'alice']);
    const forced = p.run(['release', 'x', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /released x \(held by alice\)/);
  } finally {
    p.cleanup();
  }
});

test('a bad lease name is refused before anything touches disk', () => {
  const p = makeProfile('looop-claims');
  try {
    for (const bad of ['../x', '.hidden', 'a b', 'a:b']) {
      const r = p.run(['claim', bad, '--session', 'alice']);
      assert.equal(r.code, 1, bad);
      assert.match(r.stderr, /invalid claim name/);
    }
    assert.deepEqual(JSON.parse(p.run(['claims', '--json']).stdout), []);
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context } from '../../src/context.ts';
import { reapClaims, listClaims } from '../../src/claims/index.ts';
import { makeProfile } from '../helpers/profile.ts';

function put(dir: string, name: string, body: unknown): void {
  mkdirSync(join(dir, 'claims'), { recursive: true });
  writeFileSync(join(dir, 'claims', `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body));
}

test('reapClaims drops leases of dead sessions, expired leases and unreadable files; keeps live and external ones', async () => {
  const p = makeProfile('looop-reap');
  try {
    const ctx = context(p.env);
    const now = new Date('2030-01-01T12:00:00Z');
    const ts = new Date(now.getTime() - 30_000).toISOString();
    put(p.dataDir, 'live', { session: 'w-live', name: 'live', ts });
    put(p.dataDir, 'dead', { session: 'w-dead', name: 'dead', ts });
    put(p.dataDir, 'expired', { session: 'w-live', name: 'expired', ts, ttl_s: 10 });
    put(p.dataDir, 'human', { session: 'alice', name: 'human', ts, external: true });
    put(p.dataDir, 'human-expired', { session: 'alice', name: 'human-expired', ts, ttl_s: 5, external: true });
    put(p.dataDir, 'garbage', '{not json');
    const reaped = await reapClaims(ctx, (s) => s === 'w-live', now);
    assert.deepEqual(
      reaped.map((r) => [r.name, r.reason]),
      [
        ['dead', 'session w-dead is not alive'],
        ['expired', 'expired (ttl 10s)'],
        ['garbage', 'unreadable claim file'],
        ['human-expired', 'expired (ttl 5s)'],
      ],
    );
    assert.deepEqual((await listClaims(ctx)).map((c) => c.name), ['human', 'live']);
    assert.ok(!existsSync(join(p.dataDir, 'claims', 'dead.json')));
  } finally {
    p.cleanup();
  }
});

test('reapClaims on a profile without claims does nothing and creates nothing', async () => {
  const p = makeProfile('looop-reap');
  try {
    assert.deepEqual(await reapClaims(context(p.env), () => false, new Date()), []);
    assert.ok(!existsSync(join(p.dataDir, 'claims')));
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile } from '../helpers/profile.ts';

const CLAIMANTS = 20;
const ROUNDS = 50;

interface Reply {
  ready?: boolean;
  won?: boolean;
  error?: string;
}

function next(child: ChildProcess): Promise<Reply> {
  return new Promise((res, rej) => {
    child.once('message', (m) => res(m as Reply));
    child.once('exit', (code) => rej(new Error(`claimant exited with ${code}`)));
  });
}

test('20 claimant processes racing for one lease: exactly one wins, 50 rounds in a row', async () => {
  const p = makeProfile('looop-claim-race');
  const children = Array.from({ length: CLAIMANTS }, (_, i) =>
    fork(join(import.meta.dirname, 'claimant.ts'), [`s${i}`], { env: p.env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(children.map(next));
    for (let round = 0; round < ROUNDS; round++) {
      const name = `task-${round}`;
      const replies = children.map(next);
      for (const c of children) c.send({ name });
      const results = await Promise.all(replies);
      const winners = results.flatMap((r, i) => (r.won ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners: ${results.map((r) => r.error).join('; ')}`);
      const holder = JSON.parse(readFileSync(join(p.dataDir, 'claims', `${name}.json`), 'utf8'));
      assert.equal(holder.session, `s${winners[0]}`);
      for (const r of results) if (!r.won) assert.match(r.error ?? '', new RegExp(`held by session s${winners[0]} `));
    }
  } finally {
    for (const c of children) c.kill();
    p.cleanup();
  }
});

test('the built CLI: 20 `looop claim` processes at once, exactly one wins and the rest name it', async () => {
  const p = makeProfile('looop-claim-race-cli');
  try {
    const results = await Promise.all(Array.from({ length: CLAIMANTS }, (_, i) => p.runAsync(['claim', 'deploy', '--session', `s${i}`])));
    const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
    assert.equal(winners.length, 1, results.map((r) => r.stderr).join(''));
    for (const [i, r] of results.entries()) {
      if (i === winners[0]) continue;
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`held by session s${winners[0]} `));
    }
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { follow } from '../../src/fleet/transcript.ts';

test('following a transcript for many polls leaves one abort listener, not one per poll (no MaxListenersExceededWarning)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-follow-'));
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const file = join(dir, 'output.log');
    writeFileSync(file, 'hello\n');
    const ac = new AbortController();
    let seen = '';
    const done = follow(file, 0, (b) => (seen += b.toString()), { pollMs: 1, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 200));
    const listeners = getEventListeners(ac.signal, 'abort').length;
    ac.abort();
    await done;
    assert.ok(listeners <= 1, `${listeners} abort listeners after 200 polls`);
    assert.equal(seen, 'hello\n');
    assert.deepEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning'),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    rmSync(dir, { recursive: true, force: true });
  }
});

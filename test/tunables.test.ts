import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { senseLimits } from '../src/beat/sense.ts';
import { ConfigError } from '../src/errors.ts';
import { envTunable } from '../src/tunables.ts';

test('a bad sensor timeout is one clear error naming the variable, like a bad interval', () => {
  assert.throws(
    () => senseLimits({ LOOOP_SENSOR_TIMEOUT: 'abc' }),
    (e: Error) => e instanceof ConfigError && /LOOOP_SENSOR_TIMEOUT="abc": expected a whole number of seconds > 0/.test(e.message),
  );
  assert.throws(() => envTunable({ LOOOP_INTERVAL: 'abc' }, 'LOOOP_INTERVAL'), /LOOOP_INTERVAL="abc"/);
  assert.throws(() => envTunable({ LOOOP_SENSOR_MAX_BYTES: '-1' }, 'LOOOP_SENSOR_MAX_BYTES'), /LOOOP_SENSOR_MAX_BYTES/);
});

test('unset and empty mean the default; valid values are used', () => {
  assert.deepEqual(senseLimits({}), { timeoutMs: 60_000, maxBytes: 8192 });
  assert.deepEqual(senseLimits({ LOOOP_SENSOR_TIMEOUT: '', LOOOP_SENSOR_MAX_BYTES: '100' }), { timeoutMs: 60_000, maxBytes: 100 });
  assert.equal(envTunable({}, 'LOOOP_PROMPT_MAX_BYTES'), 256 * 1024);
});

test('LOOOP_PROMPT_MAX_BYTES=0 means no limit; LOOOP_NOOP_TTL=0 means off', () => {
  assert.equal(envTunable({ LOOOP_PROMPT_MAX_BYTES: '0' }, 'LOOOP_PROMPT_MAX_BYTES'), Infinity);
  assert.equal(envTunable({ LOOOP_NOOP_TTL: '0' }, 'LOOOP_NOOP_TTL'), 0);
  assert.throws(() => envTunable({ LOOOP_RUNS_KEEP: '0' }, 'LOOOP_RUNS_KEEP'), /LOOOP_RUNS_KEEP/);
});

test('loading the config reports every bad tunable at once, before any work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-tunables-'));
  try {
    await assert.rejects(
      loadConfig(join(dir, 'looop.json'), { env: { LOOOP_SENSOR_TIMEOUT: 'abc', LOOOP_RUNS_KEEP: 'x' } }),
      (e: Error) => e instanceof ConfigError && /LOOOP_SENSOR_TIMEOUT/.test(e.message) && /LOOOP_RUNS_KEEP/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

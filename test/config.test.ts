// Seeded on first run, validated with zod (one line naming file and key), env overrides,
// validation cached by content.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, pickRunner, seedConfig, SEED_CONFIG } from '../src/config.ts';
import { parseConfigFile } from '../src/config-schema.ts';
import { ConfigError } from '../src/errors.ts';
import { BUILTIN_RUNNERS } from '../src/runners.ts';

const root = mkdtempSync(join(tmpdir(), 'looop-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh config path (and cache path) in the temp dir, with the given content if any. */
function fresh(content?: unknown): { path: string; cache: string } {
  n++;
  const path = join(root, `c${n}`, 'looop.json');
  const cache = join(root, `c${n}`, 'data', '.config-cache.json');
  if (content !== undefined) {
    seedConfig(path); // creates the folder
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return { path, cache };
}

async function rejection(content: unknown, env: NodeJS.ProcessEnv = {}): Promise<{ path: string; message: string }> {
  const { path } = fresh(content);
  try {
    await loadConfig(path, { env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    return { path, message: err.message };
  }
  assert.fail(`config ${JSON.stringify(content)} was accepted`);
}

test('an unknown key is one line naming the file and the key', async () => {
  const { path, message } = await rejection({ intervall: 60 });
  assert.equal(message, `config ${path}: unknown key "intervall" (did you mean "interval"?)`);
});

test('an unknown key inside a runner names where it is', async () => {
  const { message } = await rejection({ runners: { mine: { tick: 'x', tik: 'y' } } });
  assert.match(message, /unknown key "tik" \(did you mean "tick"\?\) in "runners\.mine"/);
});

test('a wrong type (interval: "60") is one line naming the file and the key', async () => {
  const { path, message } = await rejection({ interval: '60' });
  assert.ok(message.startsWith(`config ${path}: key "interval": `), message);
  assert.match(message, /expected number/);
});

test('a negative number is one line naming the file and the key', async () => {
  const { path, message } = await rejection({ tick_timeout: -5 });
  assert.ok(message.startsWith(`config ${path}: key "tick_timeout": `), message);
  const neg = await rejection({ max_decisions_per_hour: -1 });
  assert.match(neg.message, /key "max_decisions_per_hour"/);
  const usd = await rejection({ max_daily_usd: -2 });
  assert.match(usd.message, /key "max_daily_usd"/);
});

test('a runner without its tick command names the key', async () => {
  const { message } = await rejection({ runners: { mine: { interactive: 'x' } } });
  assert.match(message, /key "runners\.mine\.tick"/);
});

test('a file that is not JSON is a clear error and is never replaced', async () => {
  const { path, message } = await rejection('{ "interval": 60, ');
  assert.ok(message.startsWith(`config ${path}: not valid JSON`), message);
  assert.equal(readFileSync(path, 'utf8'), '{ "interval": 60, ');
});

test('an invalid file is never silently replaced', async () => {
  const { path } = await rejection({ interval: 0 });
  assert.equal(readFileSync(path, 'utf8'), '{"interval":0}');
});

test('defaults are applied for every key left out', async () => {
  const { path } = fresh({});
  const c = await loadConfig(path, { env: {} });
  assert.equal(c.path, path);
  assert.equal(c.default, 'pi');
  assert.equal(c.tickTimeout, 1800);
  assert.equal(c.interval, 60);
  assert.equal(c.busyInterval, 60, 'busy_interval defaults to interval');
  assert.equal(c.activeInterval, 60, 'active_interval defaults to interval');
  assert.equal(c.sessionTtl, 3 * 24 * 3600);
  assert.equal(c.maxDailyUsd, null, 'budget off when absent');
  assert.equal(c.maxDecisionsPerHour, 120);
  assert.deepEqual(c.runShellDeny, []);
  assert.deepEqual(c.runners, BUILTIN_RUNNERS, 'built-in pi and claude runners');
});

test('busy and active cadences default to the configured interval; explicit values win', async () => {
  const a = await loadConfig(fresh({ interval: 30 }).path, { env: {} });
  assert.deepEqual([a.interval, a.busyInterval, a.activeInterval], [30, 30, 30]);
  const b = await loadConfig(fresh({ interval: 30, busy_interval: 10, active_interval: 20 }).path, { env: {} });
  assert.deepEqual([b.interval, b.busyInterval, b.activeInterval], [30, 10, 20]);
});

test('a user runner is added next to the built-ins and may replace one', async () => {
  const c = await loadConfig(fresh({ default: 'mine', runners: { mine: { tick: 'my-llm' }, pi: { tick: 'pi --custom' } } }).path, { env: {} });
  assert.equal(c.default, 'mine');
  assert.equal(c.runners.mine!.tick, 'my-llm');
  assert.equal(c.runners.pi!.tick, 'pi --custom');
  assert.equal(c.runners.pi!.interactive, BUILTIN_RUNNERS.pi!.interactive, 'fields not overridden keep the built-in');
  assert.deepEqual(c.runners.claude, BUILTIN_RUNNERS.claude);
});

test('env LOOOP_INTERVAL, LOOOP_BUSY_INTERVAL, LOOOP_ACTIVE_INTERVAL, LOOOP_SESSION_TTL override the file', async () => {
  const { path } = fresh({ interval: 30, session_ttl: 100 });
  const only = await loadConfig(path, { env: { LOOOP_INTERVAL: '10' } });
  assert.deepEqual([only.interval, only.busyInterval, only.activeInterval, only.sessionTtl], [10, 10, 10, 100]);
  const all = await loadConfig(path, { env: { LOOOP_INTERVAL: '10', LOOOP_BUSY_INTERVAL: '5', LOOOP_ACTIVE_INTERVAL: '7', LOOOP_SESSION_TTL: '3600' } });
  assert.deepEqual([all.interval, all.busyInterval, all.activeInterval, all.sessionTtl], [10, 5, 7, 3600]);
  const empty = await loadConfig(path, { env: { LOOOP_INTERVAL: '' } });
  assert.equal(empty.interval, 30, 'an empty variable is unset');
});

test('a bad env value is a clear ConfigError naming the variable', async () => {
  const { path } = fresh({});
  for (const [name, value] of [['LOOOP_INTERVAL', 'abc'], ['LOOOP_INTERVAL', '-3'], ['LOOOP_BUSY_INTERVAL', '1.5'], ['LOOOP_ACTIVE_INTERVAL', '0'], ['LOOOP_SESSION_TTL', '1d']]) {
    await assert.rejects(loadConfig(path, { env: { [name!]: value } }), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, `environment ${name}=${JSON.stringify(value)}: expected a whole number of seconds > 0`);
      return true;
    });
  }
});

test('seedConfig writes valid defaults on first run and never overwrites', async () => {
  const { path } = fresh();
  assert.equal(existsSync(path), false);
  assert.equal(seedConfig(path, { PATH: '' }), true);
  const seeded = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(seeded, JSON.parse(JSON.stringify(SEED_CONFIG)));
  assert.equal(seeded.runners, undefined, 'built-in runner templates stay in looop, upgradable');
  assert.ok(parseConfigFile(seeded).ok, 'the seed passes its own schema');
  writeFileSync(path, '{"interval": 42}');
  assert.equal(seedConfig(path), false);
  assert.equal(readFileSync(path, 'utf8'), '{"interval": 42}');
});

test('loadConfig seeds a missing config file, then loads it', async () => {
  const { path } = fresh();
  const c = await loadConfig(path, { env: {} });
  assert.ok(existsSync(path));
  assert.equal(c.interval, 60);
  assert.equal(c.default, 'pi');
});

test('the validation cache is used only when the content is identical', async () => {
  const { path, cache } = fresh({ interval: 30 });
  const first = await loadConfig(path, { cachePath: cache, env: {} });
  assert.equal(first.interval, 30);
  assert.ok(existsSync(cache), 'validating writes the cache');
  // Prove the cache is read: plant a different value under the same content key.
  const entry = JSON.parse(readFileSync(cache, 'utf8'));
  entry.value.interval = 777;
  writeFileSync(cache, JSON.stringify(entry));
  assert.equal((await loadConfig(path, { cachePath: cache, env: {} })).interval, 777, 'same content: cached value used');
  // Any change to the content, even whitespace, re-validates.
  writeFileSync(path, JSON.stringify({ interval: 30 }) + ' ');
  assert.equal((await loadConfig(path, { cachePath: cache, env: {} })).interval, 30, 'changed content: validated afresh');
  // An invalid file is refused even though a valid cache entry exists.
  writeFileSync(path, JSON.stringify({ interval: '30' }));
  await assert.rejects(loadConfig(path, { cachePath: cache, env: {} }), ConfigError);
});

test('a corrupt cache file is ignored, not trusted', async () => {
  const { path, cache } = fresh({ interval: 45 });
  await loadConfig(path, { cachePath: cache, env: {} });
  writeFileSync(cache, '{ torn');
  assert.equal((await loadConfig(path, { cachePath: cache, env: {} })).interval, 45);
});

test('env overrides still apply when the validation comes from the cache', async () => {
  const { path, cache } = fresh({ interval: 30 });
  await loadConfig(path, { cachePath: cache, env: {} });
  assert.equal((await loadConfig(path, { cachePath: cache, env: { LOOOP_INTERVAL: '9' } })).interval, 9);
});

test('a first run picks the runner that is installed: claude alone, pi alone, pi when both or neither', () => {
  const root = mkdtempSync(join(tmpdir(), 'looop-pick-'));
  const dir = (name: string, progs: string[]) => {
    const d = join(root, name);
    mkdirSync(d);
    for (const p of progs) writeFileSync(join(d, p), '#!/bin/sh\n', { mode: 0o755 });
    return d;
  };
  try {
    assert.equal(pickRunner({ PATH: dir('c', ['claude']) }).runner, 'claude');
    assert.equal(pickRunner({ PATH: dir('p', ['pi']) }).runner, 'pi');
    assert.equal(pickRunner({ PATH: dir('b', ['pi', 'claude']) }).runner, 'pi');
    const none = pickRunner({ PATH: dir('n', []) });
    assert.equal(none.runner, 'pi');
    assert.match(none.why, /@mariozechner\/pi-coding-agent.*@anthropic-ai\/claude-code/, 'names both installs');
    const path = join(root, 'cfg', 'looop.json');
    seedConfig(path, { PATH: join(root, 'c') });
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).default, 'claude', 'the seeded default is the installed runner');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// Loads looop.json: seeds it on first run, validates it with zod (cached by content), applies env overrides.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJsonOr, readTextOr, writeJsonAtomic } from './atomic.ts';
import { ConfigError } from './errors.ts';
import { BUILTIN_RUNNERS, type RunnerSpec } from './runners.ts';
import type { ConfigFile } from './config-schema.ts';

export { VERSION } from './version.ts';
import { VERSION } from './version.ts';
import { checkTunables, envTunable, type TunableName } from './tunables.ts';

export interface Config {
  path: string;
  default: string;
  runners: Record<string, RunnerSpec>;
  tickTimeout: number;
  interval: number;
  busyInterval: number;
  activeInterval: number;
  sessionTtl: number;
  maxDailyUsd: number | null;
  maxDecisionsPerHour: number;
  maxWorkers: number;
  runShellDeny: string[];
  flagPopup: boolean;
}

export const SEED_CONFIG = {
  default: 'pi',
  interval: 60,
  tick_timeout: 1800,
  session_ttl: 259200,
  max_decisions_per_hour: 120,
  max_workers: 8,
  runners: BUILTIN_RUNNERS,
};

/** Writes the default config if there is none; never overwrites. */
export function seedConfig(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, JSON.stringify(SEED_CONFIG, null, 2) + '\n', { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ConfigError(`cannot write config ${path}: ${(err as Error).message}`);
  }
}

/** JSON.parse's message with "position N" turned into line:col, which an editor can jump to. */
export function jsonProblem(text: string, message: string): string {
  const m = message.match(/ at position (\d+)(?: \(line \d+ column \d+\))?/);
  if (!m) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const col = Number(m[1]) - before.lastIndexOf('\n');
  return `${message.replace(m[0], '')} at line ${line}:${col}`;
}

async function validate(path: string, text: string, cachePath: string | null): Promise<ConfigFile> {
  const key = createHash('sha1').update(VERSION).update('\0').update(text).digest('hex');
  if (cachePath) {
    const cached = readJsonOr<{ key?: string; value?: ConfigFile }>(cachePath, {});
    if (cached.key === key && cached.value) return cached.value;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config ${path}: not valid JSON (${jsonProblem(text, (err as Error).message)}); fix it or move it away to re-seed defaults`);
  }
  const { parseConfigFile } = await import('./config-schema.ts');
  const res = parseConfigFile(raw);
  if (!res.ok) throw new ConfigError(`config ${path}: ${res.problem}`);
  if (cachePath) {
    try {
      writeJsonAtomic(cachePath, { key, value: res.value });
    } catch {
      // An unwritable data dir is reported by the beat itself; the cache is only a speed-up.
    }
  }
  return res.value;
}

const envSeconds = (env: NodeJS.ProcessEnv, name: TunableName): number | undefined => envTunable(env, name, null) ?? undefined;

export async function loadConfig(path: string, opts: { cachePath?: string | null; env?: NodeJS.ProcessEnv } = {}): Promise<Config> {
  const env = opts.env ?? process.env;
  checkTunables(env);
  seedConfig(path);
  const text = readTextOr(path, null);
  if (text === null) throw new ConfigError(`config ${path}: cannot be read`);
  const file = await validate(path, text, opts.cachePath ?? null);
  const interval = envSeconds(env, 'LOOOP_INTERVAL') ?? file.interval;
  return {
    path,
    default: file.default,
    runners: { ...BUILTIN_RUNNERS, ...file.runners },
    tickTimeout: file.tick_timeout,
    interval,
    busyInterval: envSeconds(env, 'LOOOP_BUSY_INTERVAL') ?? file.busy_interval ?? interval,
    activeInterval: envSeconds(env, 'LOOOP_ACTIVE_INTERVAL') ?? file.active_interval ?? interval,
    sessionTtl: envSeconds(env, 'LOOOP_SESSION_TTL') ?? file.session_ttl,
    maxDailyUsd: file.max_daily_usd ?? null,
    maxDecisionsPerHour: file.max_decisions_per_hour,
    maxWorkers: file.max_workers,
    runShellDeny: file.run_shell_deny,
    flagPopup: file.flag_popup,
  };
}

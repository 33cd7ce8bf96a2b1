// Loads looop.json: seeds it on first run, validates it with zod (cached by content), applies env overrides.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { onPath } from './proc/on-path.ts';
import { readJsonOr, readTextOr, writeJsonAtomic } from './atomic.ts';
import { ConfigError } from './errors.ts';
import { loadIsland } from './island.ts';
import { BUILTIN_RUNNERS, INSTALL_HINTS, LEGACY_TICKS, type RunnerSpec } from './runners.ts';
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
  /** Seconds a worker's verify command may run. */
  verifyTimeout: number;
  maxDailyUsd: number | null;
  maxDecisionsPerHour: number;
  maxWorkers: number;
  runShellDeny: string[];
  /** "unsandboxed" runs run_shell as the person, with no boundary (only when bubblewrap cannot be had). */
  runShell: 'sandboxed' | 'unsandboxed';
  /** Regexes of commands the person lets run unsandboxed without asking. */
  runShellAllow: string[];
  /** Variables passed into the sandbox besides the minimal set. */
  runShellEnv: string[];
  flagPopup: boolean;
  /** claude workers: edits allowed and other tools ask (accept-edits), or no checks at all (bypass). */
  workerPermissions: 'accept-edits' | 'bypass';
  /** argv template run once per inbox record ({{kind}} {{title}} {{message}} {{worker}}), or null. */
  notifyCommand: string[] | null;
  /** Hosts workers may run on, by name (ssh destination, port, key). */
  hosts: Record<string, HostConfig>;
}

export interface HostConfig {
  ssh: string;
  port?: number;
  identity?: string;
}

// Built-in runner templates are not copied into the file: they stay upgradable with looop, and
// `runners.<name>` in the file overrides only what the person changes.
export const SEED_CONFIG = {
  default: 'pi',
  interval: 60,
  tick_timeout: 1800,
  session_ttl: 259200,
  max_decisions_per_hour: 120,
  max_workers: 8,
};

/** A config seeded before the decider lost its tools still holds the old built-in tick: use today's. */
function upgradeLegacyTicks(runners: Record<string, RunnerSpec>): Record<string, RunnerSpec> {
  const out: Record<string, RunnerSpec> = {};
  for (const [name, spec] of Object.entries(runners)) {
    const now = Object.hasOwn(LEGACY_TICKS, spec.tick) ? LEGACY_TICKS[spec.tick] : undefined;
    out[name] = now ? { ...spec, tick: now } : spec;
  }
  return out;
}

const installed = (prog: string, env: NodeJS.ProcessEnv) => onPath(prog, env.PATH);

/** The runner a first run should use: the one that is installed (pi when both or neither are). */
export function pickRunner(env: NodeJS.ProcessEnv): { runner: string; why: string } {
  const claude = installed('claude', env);
  const pi = installed('pi', env);
  if (claude && !pi) return { runner: 'claude', why: 'claude is installed, pi is not' };
  if (pi && !claude) return { runner: 'pi', why: 'pi is installed, claude is not' };
  if (pi && claude) return { runner: 'pi', why: 'both pi and claude are installed; set "default" to switch' };
  return { runner: 'pi', why: `neither runner is installed yet: install one — pi: ${INSTALL_HINTS.pi}; claude: ${INSTALL_HINTS.claude}` };
}

/** Writes the default config if there is none (never overwrites); says on stderr which runner it picked. */
export function seedConfig(path: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const pick = pickRunner(env);
  try {
    writeFileSync(path, JSON.stringify({ ...SEED_CONFIG, default: pick.runner }, null, 2) + '\n', { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ConfigError(`cannot write config ${path}: ${(err as Error).message}`);
  }
  if (process.stderr.isTTY) process.stderr.write(`looop: first run: wrote ${path} with runner "${pick.runner}" (${pick.why})\n`);
  return true;
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
  const { parseConfigFile } = await loadIsland(() => import('./config-schema.ts'));
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

/** A runner named in the file overrides the built-in of that name field by field (tick only keeps interactive). */
function mergeRunners(fromFile: Record<string, Partial<RunnerSpec>>): Record<string, RunnerSpec> {
  const out: Record<string, RunnerSpec> = { ...BUILTIN_RUNNERS };
  for (const [name, spec] of Object.entries(fromFile)) out[name] = { ...BUILTIN_RUNNERS[name], ...spec } as RunnerSpec;
  return out;
}

export async function loadConfig(path: string, opts: { cachePath?: string | null; env?: NodeJS.ProcessEnv } = {}): Promise<Config> {
  const env = opts.env ?? process.env;
  checkTunables(env);
  seedConfig(path, env);
  const text = readTextOr(path, null);
  if (text === null) throw new ConfigError(`config ${path}: cannot be read`);
  const file = await validate(path, text, opts.cachePath ?? null);
  const interval = envSeconds(env, 'LOOOP_INTERVAL') ?? file.interval;
  return {
    path,
    default: file.default,
    runners: mergeRunners(upgradeLegacyTicks(file.runners)),
    tickTimeout: file.tick_timeout,
    interval,
    busyInterval: envSeconds(env, 'LOOOP_BUSY_INTERVAL') ?? file.busy_interval ?? interval,
    activeInterval: envSeconds(env, 'LOOOP_ACTIVE_INTERVAL') ?? file.active_interval ?? interval,
    sessionTtl: envSeconds(env, 'LOOOP_SESSION_TTL') ?? file.session_ttl,
    verifyTimeout: file.verify_timeout ?? 300,
    maxDailyUsd: file.max_daily_usd ?? null,
    maxDecisionsPerHour: file.max_decisions_per_hour,
    maxWorkers: file.max_workers,
    runShellDeny: file.run_shell_deny,
    runShell: file.run_shell ?? 'sandboxed',
    runShellAllow: file.run_shell_allow ?? [],
    runShellEnv: file.run_shell_env ?? [],
    flagPopup: file.flag_popup,
    workerPermissions: file.worker_permissions,
    notifyCommand: file.notify_command ?? null,
    hosts: file.hosts ?? {},
  };
}

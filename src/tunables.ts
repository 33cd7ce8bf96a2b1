// Every LOOOP_* number read from the environment: one table, one parser, one error naming the variable.
import { ConfigError } from './errors.ts';

type Rule = 'seconds' | 'seconds-or-off' | 'count' | 'bytes' | 'bytes-or-unlimited';

const RULES: Record<Rule, { min: number; expect: string }> = {
  seconds: { min: 1, expect: 'a whole number of seconds > 0' },
  'seconds-or-off': { min: 0, expect: 'a whole number of seconds >= 0 (0 = off)' },
  count: { min: 1, expect: 'a whole number > 0' },
  bytes: { min: 1, expect: 'a whole number of bytes > 0' },
  'bytes-or-unlimited': { min: 0, expect: 'a whole number of bytes >= 0 (0 = no limit)' },
};

/** The environment's tunables, their rule and the value when unset (null: the config file decides). */
const TUNABLES = {
  LOOOP_INTERVAL: { rule: 'seconds', fallback: null },
  LOOOP_BUSY_INTERVAL: { rule: 'seconds', fallback: null },
  LOOOP_ACTIVE_INTERVAL: { rule: 'seconds', fallback: null },
  LOOOP_SESSION_TTL: { rule: 'seconds', fallback: null },
  LOOOP_NOOP_TTL: { rule: 'seconds-or-off', fallback: 6 * 3600 },
  LOOOP_SENSOR_TIMEOUT: { rule: 'seconds', fallback: 60 },
  LOOOP_SENSOR_MAX_BYTES: { rule: 'bytes', fallback: 8192 },
  LOOOP_PROMPT_MAX_BYTES: { rule: 'bytes-or-unlimited', fallback: 256 * 1024 },
  LOOOP_RUNS_KEEP: { rule: 'count', fallback: 50 },
  LOOOP_WORKER_STUCK_SECS: { rule: 'seconds', fallback: 900 },
} as const satisfies Record<string, { rule: Rule; fallback: number | null }>;

export type TunableName = keyof typeof TUNABLES;

/** The problem with one variable's value, or null when it is unset or valid. */
function tunableProblem(name: TunableName, raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const rule = RULES[TUNABLES[name].rule];
  const n = Number(raw);
  if (/^\s*\d+\s*$/.test(raw) && Number.isSafeInteger(n) && n >= rule.min) return null;
  return `environment ${name}=${JSON.stringify(raw)}: expected ${rule.expect}`;
}

/** The variable's value (0 = no limit becomes Infinity), the table's fallback when unset; throws ConfigError when invalid. */
export function envTunable(env: NodeJS.ProcessEnv, name: TunableName): number;
export function envTunable(env: NodeJS.ProcessEnv, name: TunableName, fallback: number | null): number | null;
export function envTunable(env: NodeJS.ProcessEnv, name: TunableName, fallback: number | null = TUNABLES[name].fallback): number | null {
  const raw = env[name];
  const problem = tunableProblem(name, raw);
  if (problem) throw new ConfigError(problem);
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  return n === 0 && TUNABLES[name].rule === 'bytes-or-unlimited' ? Infinity : n;
}

/** Every invalid tunable at once (run when the config loads, so a typo fails the command before any work). */
export function checkTunables(env: NodeJS.ProcessEnv): void {
  const problems = (Object.keys(TUNABLES) as TunableName[]).map((n) => tunableProblem(n, env[n])).filter((p): p is string => p !== null);
  if (problems.length) throw new ConfigError(problems.join('; '));
}

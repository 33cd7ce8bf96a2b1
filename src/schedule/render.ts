// Turns the shipped templates (shell/looop.service, looop.timer, crontab.txt) into files for one profile. Pure.
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors.ts';
import { shellQuote as shQuote } from '../runners.ts';

export interface ScheduleSpec {
  /** Unit / marker name: `looop` for the default profile, `looop-<hash>` for others. */
  name: string;
  everyS: number;
  node: string;
  bin: string;
  dataDir: string;
  configPath: string;
  /** PATH baked in, so node, tmux and the runner CLIs are found under cron's or systemd's bare env. */
  path: string;
  envFile: string;
  logPath: string;
  timeoutS: number;
}

export function unitName(dataDir: string, defaultDataDir: string): string {
  if (dataDir === defaultDataDir) return 'looop';
  return `looop-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`;
}

/** `30s`, `5m`, `1h` or bare seconds. */
export function parseEvery(text: string): number | null {
  const m = /^(\d+)\s*(s|sec|m|min|h)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2]?.[0] ?? 's';
  const s = unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : n;
  return s >= 1 ? s : null;
}

export function everyText(s: number): string {
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** A cron schedule that really is "every N": N minutes dividing 60 or N hours dividing 24. */
export function cronSchedule(everyS: number): string | { problem: string } {
  const problem = `cron runs on whole minutes: use an interval of N minutes where N divides 60, or N hours where N divides 24 (got ${everyText(everyS)}); systemd timers take any interval`;
  if (everyS % 60 !== 0) return { problem };
  const min = everyS / 60;
  if (min === 1) return '* * * * *';
  if (min < 60) return 60 % min === 0 ? `*/${min} * * * *` : { problem };
  if (min % 60 !== 0) return { problem };
  const h = min / 60;
  if (h === 24) return '0 0 * * *';
  return h < 24 && 24 % h === 0 ? `0 */${h} * * *` : { problem };
}


/** A systemd unit value: quoted, with `%` specifiers and `$` expansion escaped. */
export function unitQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

// A newline (or any control character) in a path would start a new crontab job or unit directive.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** Refuses a spec whose baked-in paths carry control characters; one line naming the value. */
export function assertPrintable(s: ScheduleSpec): void {
  const fields: Array<[string, string]> = [['data dir', s.dataDir], ['config path', s.configPath], ['node path', s.node], ['looop path', s.bin], ['PATH', s.path], ['env file', s.envFile], ['log path', s.logPath], ['name', s.name]];
  for (const [what, value] of fields) {
    if (CONTROL.test(value)) throw new InvalidInputError(`cannot schedule: the ${what} ${JSON.stringify(value)} contains a control character; use a path without newlines or control characters`);
  }
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => vars[key] ?? whole);
}

export function renderService(template: string, s: ScheduleSpec): string {
  assertPrintable(s);
  return fill(template, {
    DATA_DIR: s.dataDir.replace(/%/g, '%%'),
    ENV_DATA_DIR: unitQuote(`LOOOP_DATA_DIR=${s.dataDir}`),
    ENV_CONFIG: unitQuote(`LOOOP_CONFIG=${s.configPath}`),
    ENV_PATH: unitQuote(`PATH=${s.path}`),
    ENV_FILE: s.envFile.replace(/%/g, '%%'),
    EXEC: `${unitQuote(s.node)} ${unitQuote(s.bin)} tick`,
    TIMEOUT_S: String(s.timeoutS),
  });
}

export function renderTimer(template: string, s: ScheduleSpec): string {
  assertPrintable(s);
  return fill(template, { NAME: s.name, EVERY: everyText(s.everyS), EVERY_S: String(s.everyS), DATA_DIR: s.dataDir.replace(/%/g, '%%') });
}

/** The shell command cron runs: env file, baked env, a log capped at ~1 MB (one old copy kept). */
export function cronCommand(s: ScheduleSpec, verb: string[] = ['tick']): string {
  const log = shQuote(s.logPath);
  const env = shQuote(s.envFile);
  return [
    `{ [ "$(wc -c < ${log} 2>/dev/null || echo 0)" -lt 1048576 ] || mv -f ${log} ${log}.1; };`,
    `{ [ ! -r ${env} ] || { set -a; . ${env}; set +a; }; };`,
    `LOOOP_DATA_DIR=${shQuote(s.dataDir)} LOOOP_CONFIG=${shQuote(s.configPath)} PATH=${shQuote(s.path)}`,
    `${shQuote(s.node)} ${shQuote(s.bin)} ${verb.map(shQuote).join(' ')} >> ${log} 2>&1`,
  ].join(' ');
}

export function renderCron(template: string, s: ScheduleSpec): string | { problem: string } {
  assertPrintable(s);
  const when = cronSchedule(s.everyS);
  if (typeof when !== 'string') return when;
  // `%` ends a crontab command (the rest becomes stdin); none of our parts may carry one unescaped.
  const command = cronCommand(s).replace(/%/g, '\\%');
  return fill(template, { NAME: s.name, EVERY: everyText(s.everyS), EVERY_S: String(s.everyS), DATA_DIR: s.dataDir, CRON: when, COMMAND: command });
}

/** Crontab text without this profile's lines. */
export function withoutMarker(crontab: string, name: string): string {
  const marker = `# looop-schedule:${name}`;
  return crontab
    .split('\n')
    .filter((l) => !(l.includes(marker + ' ') || l.endsWith(marker)))
    .join('\n');
}

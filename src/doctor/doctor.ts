// `looop doctor`: everything that would stop the loop or a worker, checked READ ONLY, one line each.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { errorMessage } from '../errors.ts';
import { readWindows } from '../fleet/windows.ts';
import { probeHost } from '../fleet/remote.ts';
import { missingRunner } from '../beat/decide.ts';
import { firstCommand, INSTALL_HINTS } from '../runners.ts';
import { detectSchedules } from '../schedule/detect.ts';
import { parseVersion, TmuxDownError, tmuxVersion } from '../tmux.ts';

export type Level = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  level: Level;
  detail: string;
  fix?: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? ((error as unknown) as { code: number }).code : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ code, out: String(stdout), err: String(stderr) || (error && code !== 0 ? error.message : '') });
    });
  });
}

async function tmuxChecks(ctx: Ctx): Promise<Check[]> {
  const v = await tmuxVersion();
  if (!v) return [{ name: 'tmux', level: 'fail', detail: 'tmux is not installed (not on PATH)', fix: 'install tmux >= 3.2 (Debian/Ubuntu: sudo apt-get install tmux; macOS: brew install tmux)' }];
  const n = parseVersion(v);
  const old = !n || n[0] < 3 || (n[0] === 3 && n[1] < 2);
  const out: Check[] = [old ? { name: 'tmux', level: 'fail', detail: `${v} is too old`, fix: 'install tmux >= 3.2' } : { name: 'tmux', level: 'ok', detail: v }];
  try {
    const rows = await readWindows(ctx.paths.socket);
    const workers = rows.filter((r) => r.role === 'worker');
    const pulse = rows.find((r) => r.role === 'pulse' && r.alive);
    if (!rows.length) throw new TmuxDownError('no windows');
    out.push({ name: 'server', level: 'ok', detail: `profile server up: ${workers.filter((w) => w.alive).length} of ${workers.length} worker(s) running${pulse ? `, pulse pid ${pulse.pid}` : ''}` });
  } catch (err) {
    if (err instanceof TmuxDownError) out.push({ name: 'server', level: 'ok', detail: 'no profile server yet (it starts with the first worker or `looop`)' });
    else out.push({ name: 'server', level: 'warn', detail: `the profile server does not answer: ${errorMessage(err)}`, fix: `look at it: tmux -S ${ctx.paths.socket} ls` });
  }
  return out;
}

async function runnerChecks(config: Config, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const out: Check[] = [];
  if (!config.runners[config.default]) {
    out.push({ name: 'runner', level: 'fail', detail: `default runner "${config.default}" is not defined (known: ${Object.keys(config.runners).join(', ')})`, fix: `set "default" in ${config.path} to one of them` });
  }
  for (const [name, spec] of Object.entries(config.runners)) {
    const isDefault = name === config.default;
    const missing = missingRunner(name, spec.tick, env);
    const label = `runner ${name}${isDefault ? ' (default)' : ''}`;
    if (missing) {
      const cmd = firstCommand(spec.tick) ?? name;
      out.push({ name: label, level: isDefault ? 'fail' : 'warn', detail: missing.replace(/ \(install it: .*\)$/, ''), fix: INSTALL_HINTS[name] ?? INSTALL_HINTS[cmd] ? `install it: ${INSTALL_HINTS[name] ?? INSTALL_HINTS[cmd]}` : `put "${cmd}" on PATH or change runners.${name}.tick` });
      continue;
    }
    const cmd = firstCommand(spec.tick);
    if (cmd === 'claude' || cmd === 'pi') {
      const r = await run(cmd, ['--version'], env, 15_000);
      const version = (r.out || r.err).trim().split('\n')[0] ?? '';
      out.push(r.code === 0 ? { name: label, level: 'ok', detail: `${cmd} ${version.replace(/\s*\(.*\)$/, '')}` } : { name: label, level: 'warn', detail: `${cmd} --version failed: ${version || `exit ${r.code}`}`, fix: `run \`${cmd} --version\` and fix what it says` });
    } else out.push({ name: label, level: 'ok', detail: `${cmd ?? spec.tick} found` });
  }
  return out;
}

/** The first-run dialogs of claude that would stop a worker in the data dir; ~/.claude.json is only read. */
export function claudeFirstRun(claudeJson: unknown, dataDir: string, apiKey: string | undefined): Check[] {
  const c = (claudeJson && typeof claudeJson === 'object' ? claudeJson : {}) as Record<string, unknown>;
  const projects = (c.projects && typeof c.projects === 'object' ? c.projects : {}) as Record<string, Record<string, unknown>>;
  const out: Check[] = [];
  const attach = `start claude once in the data dir and answer it: cd ${dataDir} && claude`;
  out.push(c.hasCompletedOnboarding === true
    ? { name: 'claude onboarding', level: 'ok', detail: 'done' }
    : { name: 'claude onboarding', level: 'warn', detail: 'not done: a claude worker stops on the theme/login screens', fix: attach });
  out.push(projects[dataDir]?.hasTrustDialogAccepted === true
    ? { name: 'claude trust', level: 'ok', detail: `${dataDir} is trusted` }
    : { name: 'claude trust', level: 'warn', detail: `${dataDir} is not trusted: every claude worker stops on "Do you trust the files in this folder?"`, fix: attach });
  const bypass = c.bypassPermissionsModeAccepted === true || c.skipDangerousModePermissionPrompt === true;
  out.push(bypass
    ? { name: 'claude bypass', level: 'ok', detail: '--dangerously-skip-permissions accepted' }
    : { name: 'claude bypass', level: 'warn', detail: 'bypass-permissions mode not accepted yet: a worker started with --dangerously-skip-permissions stops on its warning', fix: 'run `claude --dangerously-skip-permissions` once and accept (or add "skipDangerousModePermissionPrompt": true to ~/.claude/settings.json)' });
  if (apiKey) {
    const responses = (c.customApiKeyResponses ?? {}) as { approved?: unknown; rejected?: unknown };
    const tail = apiKey.slice(-20);
    const approved = Array.isArray(responses.approved) && responses.approved.includes(tail);
    const rejected = Array.isArray(responses.rejected) && responses.rejected.includes(tail);
    out.push(approved
      ? { name: 'claude API key', level: 'ok', detail: 'ANTHROPIC_API_KEY approved' }
      : { name: 'claude API key', level: rejected ? 'fail' : 'warn', detail: rejected ? 'ANTHROPIC_API_KEY was rejected in claude: workers will not use it' : 'ANTHROPIC_API_KEY not approved yet: a worker stops on "Do you want to use this API key?"', fix: 'run `claude` once and answer the API key question with Yes' });
  }
  return out;
}

function claudeChecks(ctx: Ctx, config: Config, env: NodeJS.ProcessEnv): Check[] {
  const uses = Object.values(config.runners).some((r) => [r.tick, r.interactive ?? ''].some((t) => firstCommand(t) === 'claude'));
  if (!uses || missingRunner('claude', 'claude', env)) return [];
  const path = join(env.HOME || homedir(), '.claude.json');
  let json: unknown = {};
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return [{ name: 'claude state', level: 'warn', detail: `${path} cannot be read: ${errorMessage(err)}` }];
  }
  // settings.json may also carry the bypass acceptance
  try {
    const settings = JSON.parse(readFileSync(join(env.HOME || homedir(), '.claude', 'settings.json'), 'utf8')) as Record<string, unknown>;
    if (settings.skipDangerousModePermissionPrompt === true && json && typeof json === 'object') json = { ...(json as object), skipDangerousModePermissionPrompt: true };
  } catch {
    // no settings
  }
  return claudeFirstRun(json, ctx.dataDir, env.ANTHROPIC_API_KEY);
}

async function scheduleCheck(ctx: Ctx): Promise<Check> {
  const who: string[] = [];
  try {
    const pulse = (await readWindows(ctx.paths.socket)).find((r) => r.role === 'pulse' && r.alive);
    if (pulse) who.push(`the pulse (pid ${pulse.pid})`);
  } catch {
    // no server: no pulse
  }
  try {
    for (const s of await detectSchedules(ctx)) who.push(`${s.kind} ${s.name}`);
  } catch (err) {
    return { name: 'beats', level: 'warn', detail: `cannot read the timers: ${errorMessage(err)}` };
  }
  return who.length
    ? { name: 'beats', level: 'ok', detail: `run by ${who.join(', ')}` }
    : { name: 'beats', level: 'warn', detail: 'nothing runs beats', fix: 'start `looop` (foreground), or `looop schedule install`' };
}

async function sandboxCheck(env: NodeJS.ProcessEnv): Promise<Check> {
  const r = await run('bwrap', ['--ro-bind', '/', '/', 'true'], env);
  if (r.code === 127) return { name: 'sandbox', level: 'warn', detail: 'bwrap (bubblewrap) is not installed: run_shell cannot be sandboxed', fix: 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap)' };
  if (r.code !== 0) return { name: 'sandbox', level: 'warn', detail: `bwrap does not work here: ${r.err.trim().split('\n')[0] || `exit ${r.code}`}`, fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run on a host that does' };
  return { name: 'sandbox', level: 'ok', detail: 'bwrap works' };
}

function diskCheck(dir: string): Check {
  try {
    let at = dir;
    while (!existsSync(at) && at !== '/') at = join(at, '..');
    const s = statfsSync(at);
    const free = s.bavail * s.bsize;
    const mib = Math.round(free / 2 ** 20);
    const text = mib >= 10240 ? `${(mib / 1024).toFixed(0)} GiB free` : `${mib} MiB free`;
    if (free < 100 * 2 ** 20) return { name: 'disk', level: 'fail', detail: `${text} at ${at}`, fix: 'free some space: transcripts (sessions/) and run archives (runs/) can go' };
    if (free < 1024 * 2 ** 20) return { name: 'disk', level: 'warn', detail: `${text} at ${at}`, fix: 'free some space soon' };
    return { name: 'disk', level: 'ok', detail: `${text} at ${at}` };
  } catch (err) {
    return { name: 'disk', level: 'warn', detail: `cannot read free space: ${errorMessage(err)}` };
  }
}

async function gitCheck(dir: string, env: NodeJS.ProcessEnv): Promise<Check> {
  if (!existsSync(join(dir, '.git'))) {
    const has = await run('git', ['--version'], env);
    return has.code === 127
      ? { name: 'git', level: 'warn', detail: 'git is not installed: the data dir has no history', fix: 'install git; the next beat makes the data dir a repository' }
      : { name: 'git', level: 'ok', detail: existsSync(dir) ? 'the data dir is not a repository yet (the first beat makes it one)' : 'no data dir yet (the first beat makes it)' };
  }
  if (existsSync(join(dir, '.git', 'index.lock'))) return { name: 'git', level: 'warn', detail: 'a git index.lock is left in the data dir', fix: `if no git runs there: rm ${join(dir, '.git', 'index.lock')}` };
  const r = await run('git', ['-C', dir, 'status', '--porcelain'], env, 10_000);
  if (r.code !== 0) return { name: 'git', level: 'fail', detail: `git status fails in the data dir: ${r.err.trim().split('\n')[0]}`, fix: `repair it: git -C ${dir} fsck` };
  const dirty = r.out.split('\n').filter(Boolean).length;
  return { name: 'git', level: 'ok', detail: `history ok${dirty ? `; ${dirty} uncommitted change(s) (committed with the next action)` : ''}` };
}

/** Each configured host: it answers over ssh, its tmux is >= 3.2, the runners' programs are installed there. */
async function hostChecks(ctx: Ctx, config: Config): Promise<Check[]> {
  const programs = [...new Set(Object.values(config.runners).map((r) => (r.interactive ? firstCommand(r.interactive) : null)).filter((c): c is string => !!c && /^[\w./-]+$/.test(c)))];
  return Promise.all(Object.entries(config.hosts).map(async ([name, cfg]): Promise<Check> => {
    const label = `host ${name}`;
    try {
      const { tmux, missing } = await probeHost(ctx.paths, name, cfg, programs);
      const v = parseVersion(tmux);
      if (!v || v[0] < 3 || (v[0] === 3 && v[1] < 2)) return { name: label, level: 'fail', detail: `${cfg.ssh}: ${tmux === 'none' ? 'tmux is not installed' : `${tmux} is too old`}`, fix: `install tmux >= 3.2 on ${name}` };
      if (missing.length) return { name: label, level: 'warn', detail: `${cfg.ssh}: ${tmux}; not installed there: ${missing.join(', ')}`, fix: `install them on ${name} (or keep those runners local)` };
      return { name: label, level: 'ok', detail: `${cfg.ssh}: ${tmux}, runners' programs found` };
    } catch (err) {
      return { name: label, level: 'fail', detail: `${cfg.ssh} does not answer: ${errorMessage(err)}`, fix: `check \`ssh ${cfg.port ? `-p ${cfg.port} ` : ''}${cfg.ssh} true\` works without a prompt (keys, known_hosts)` };
    }
  }));
}

export async function runDoctor(ctx: Ctx): Promise<Check[]> {
  const env = { ...process.env, ...ctx.env };
  const checks: Check[] = [];
  let config: Config | null = null;
  try {
    config = await loadConfig(ctx.configPath, { cachePath: null, env });
    checks.push({ name: 'config', level: 'ok', detail: ctx.configPath });
  } catch (err) {
    checks.push({ name: 'config', level: 'fail', detail: errorMessage(err), fix: `fix ${ctx.configPath}` });
  }
  checks.push(...(await tmuxChecks(ctx)));
  if (config) {
    checks.push(...(await runnerChecks(config, env)));
    checks.push(...claudeChecks(ctx, config, env));
    checks.push(...(await hostChecks(ctx, config)));
  }
  checks.push(await scheduleCheck(ctx), await sandboxCheck(env), diskCheck(ctx.dataDir), await gitCheck(ctx.dataDir, env));
  return checks;
}

export function formatDoctor(checks: Check[], color: boolean): string {
  const paint = (l: Level) => {
    const t = l.padEnd(4);
    if (!color) return t;
    return `\x1b[${l === 'ok' ? '32' : l === 'warn' ? '33' : '31'}m${t}\x1b[0m`;
  };
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${paint(c.level)}  ${c.name.padEnd(width)}  ${c.detail}${c.fix && c.level !== 'ok' ? ` — fix: ${c.fix}` : ''}`);
  const fails = checks.filter((c) => c.level === 'fail').length;
  const warns = checks.filter((c) => c.level === 'warn').length;
  lines.push(fails ? `${fails} problem(s) to fix, ${warns} warning(s)` : warns ? `no failures, ${warns} warning(s)` : 'all good');
  return lines.join('\n') + '\n';
}

// Workers on other hosts: ssh (one shared connection per host) runs the same tmux argv against a
// per-profile server there. looop keeps what it needs under a folder it owns on the host
// (~/.looop-remote/<profile key>/: tmux.conf, a POSIX-sh helper, transcripts) and no daemon.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic.ts';
import type { HostConfig } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { shellQuote } from '../runners.ts';
import type { Ctx } from '../context.ts';
import { errorMessage } from '../errors.ts';
import { confPath, HostUnreachableError, isRemote, parseVersion, setWindowOptions, type Remote } from '../tmux.ts';
import { claudeSettings, piExtension } from './hooks.ts';
import { OPT, useHosts, type WindowRow } from './windows.ts';

export interface HostState {
  host: string;
  ssh: string[];
  dest: string;
  /** The folder looop owns on the host (absolute). */
  dir: string;
  tmux: string;
}

/** One key per profile (machine + data dir): two profiles never share a remote server. */
export function profileKey(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${dataDir}`).digest('hex').slice(0, 12);
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p);

/** ssh options: one shared connection per host, never a prompt, a bounded connect. */
export function sshOptions(paths: Paths, name: string, cfg: HostConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    // A whole ssh_config of its own in place of ~/.ssh/config (tests, or a profile kept apart).
    ...(env.LOOOP_SSH_CONFIG ? ['-F', env.LOOOP_SSH_CONFIG] : []),
    '-o',
    'ControlMaster=auto',
    '-o',
    'ControlPersist=300',
    '-o',
    `ControlPath=${paths.sshControl(name)}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=5',
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=2',
    ...(cfg.port ? ['-p', String(cfg.port)] : []),
    ...(cfg.identity ? ['-i', expandHome(cfg.identity), '-o', 'IdentitiesOnly=yes'] : []),
  ];
}

// A worker's own signals on its host (beside its prompt): the hooks' or extension's events, claude's status line.
export const HOST_EVENTS = 'events.jsonl';
export const HOST_STATUS = 'status.json';

export function remoteOf(s: HostState): Remote {
  return { host: s.host, ssh: s.ssh, dest: s.dest, socket: `${s.dir}/tmux.sock`, conf: `${s.dir}/tmux.conf`, tails: { dir: `${s.dir}/sessions`, files: [HOST_EVENTS, HOST_STATUS] } };
}

/** Where a worker's files live on its host. */
export const remoteSession = (s: HostState, id: string) => `${s.dir}/sessions/${id}`;
/** The worker's claude settings there (the `{{settings_file}}` of a remote worker). */
export const remoteSettings = (s: HostState, id: string) => `${remoteSession(s, id)}/claude-settings.json`;
export const remoteHelper = (s: HostState) => `${s.dir}/bin/looop`;
/** looop's pi extension, as put on the host by setupHost. */
export const remotePiExtension = (s: HostState) => `${s.dir}/lib/pi-looop.ts`;

/** The claude settings of a worker on a host: its hooks and status line write beside its prompt there. */
export function remoteClaudeSettings(s: HostState, id: string): string {
  const dir = remoteSession(s, id);
  return JSON.stringify(claudeSettings(`${dir}/${HOST_EVENTS}`, `${dir}/${HOST_STATUS}`), null, 2);
}

/**
 * How a worker on a host tells looop what it does, all beside its prompt there (read with the listing):
 * the env of pi's extension (events, and its running cost: there is no ledger on the host) and the
 * files to write when it starts (claude's settings; empty events and status, so a used id starts clean).
 */
export function hostSignals(s: HostState, id: string, settingsFile: string): { env: Record<string, string>; files: Record<string, string> } {
  const dir = remoteSession(s, id);
  const events = `${dir}/${HOST_EVENTS}`;
  const status = `${dir}/${HOST_STATUS}`;
  return {
    env: { LOOOP_WORKER_EVENTS: events, LOOOP_WORKER_STATUS: status, LOOOP_COST_LEDGER: '' },
    files: { [settingsFile]: remoteClaudeSettings(s, id), [events]: '', [status]: '' },
  };
}

/** Runs a shell script on the host (on stdin, through the shared connection); its stdout. */
export async function sshScript(r: Pick<Remote, 'host' | 'ssh' | 'dest'>, script: string, timeoutMs = 15_000): Promise<string> {
  return (await sshBytes(r, script, timeoutMs)).toString('utf8');
}

/** sshScript's stdout as bytes (a transcript read in pieces must not split a character); the signal ends the ssh child. */
export function sshBytes(r: Pick<Remote, 'host' | 'ssh' | 'dest'>, script: string, timeoutMs = 15_000, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...r.ssh, r.dest, 'sh -s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HostUnreachableError(`host ${r.host} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const abort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', abort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      reject(new HostUnreachableError(`cannot run ssh: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) return resolve(Buffer.concat(out));
      if (code === 255) return reject(new HostUnreachableError(`host ${r.host} is unreachable: ${stderr.split('\n').pop() || 'ssh failed'}`));
      reject(new InvalidInputError(`on host ${r.host}: ${stderr.split('\n').pop() || `exit ${code}`}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
  });
}

// What a remote worker calls as "$LOOOP_BIN": flags are window options on the host's server, which
// the listing reads; everything else needs the profile's files and is refused with a clear line.
const HELPER = `#!/bin/sh
# looop's helper on a worker host: flag / unflag set the window option the listing reads.
sock="$LOOOP_REMOTE_SOCKET"
case "$1" in
  flag)
    note=$(printf '%s' "$3" | tr -d '\\000-\\037' | cut -c1-300)
    if [ -n "$note" ]; then v="⚑ $note"; else v="⚑"; fi
    exec tmux -S "$sock" set-option -w -t "$TMUX_PANE" @looop_flag "$v" \\; set-option -w -t "$TMUX_PANE" @looop_flag_ts "$(date +%s)000" \\; set-option -w -u -t "$TMUX_PANE" @looop_flag_by ;;
  unflag)
    exec tmux -S "$sock" set-option -w -u -t "$TMUX_PANE" @looop_flag \\; set-option -w -u -t "$TMUX_PANE" @looop_flag_ts ;;
  claim|release)
    # A request on the window; looop answers it when it next reads the fleet (the pulse: within a second).
    verb=$1; name=$2; shift 2 2>/dev/null || { echo "looop: $verb needs a name" >&2; exit 2; }
    ttl=-; note=
    while [ $# -gt 0 ]; do
      case "$1" in
        --ttl) ttl=$2; shift 2 ;;
        --ttl=*) ttl=\${1#--ttl=}; shift ;;
        --note) note=$2; shift 2 ;;
        --note=*) note=\${1#--note=}; shift ;;
        *) shift ;;
      esac
    done
    nonce="$$.$(date +%s)"
    note=$(printf '%s' "$note" | tr -d '\\000-\\037' | cut -c1-200)
    tmux -S "$sock" set-option -w -t "$TMUX_PANE" @looop_req "$verb $nonce $ttl $name $note" || exit 3
    i=0
    while [ $i -lt "\${LOOOP_LEASE_WAIT:-120}" ]; do
      ans=$(tmux -S "$sock" show-options -w -v -t "$TMUX_PANE" @looop_ans 2>/dev/null)
      case "$ans" in
        "$nonce "*) rest=\${ans#"$nonce "}; code=\${rest%% *}; msg=\${rest#* }
          if [ "$code" = 0 ]; then echo "$msg"; else echo "looop: $msg" >&2; fi; exit "$code" ;;
      esac
      sleep 0.5; i=$((i + 1))
    done
    echo "looop: no answer to $verb $name (is the loop running?)" >&2; exit 3 ;;
  *)
    echo "looop: \\"$1\\" is not available on a worker host (only flag, unflag, claim, release)" >&2; exit 2 ;;
esac
`;

function setupScript(key: string): string {
  const conf = readFileSync(confPath(), 'utf8');
  const ext = readFileSync(piExtension(), 'utf8');
  return [
    'set -e',
    'umask 077',
    `d="$HOME/.looop-remote/${key}"`,
    'mkdir -p "$d/sessions" "$d/bin" "$d/lib"',
    'chmod 700 "$HOME/.looop-remote" "$d"',
    `cat > "$d/tmux.conf" <<'__LOOOP_CONF_END__'\n${conf.replace(/\n?$/, '\n')}__LOOOP_CONF_END__`,
    `cat > "$d/bin/looop" <<'__LOOOP_HELPER_END__'\n${HELPER}__LOOOP_HELPER_END__`,
    'chmod 700 "$d/bin/looop"',
    `cat > "$d/lib/pi-looop.ts" <<'__LOOOP_EXT_END__'\n${ext.replace(/\n?$/, '\n')}__LOOOP_EXT_END__`,
    'printf "dir=%s\\n" "$d"',
    'printf "tmux=%s\\n" "$(tmux -V 2>/dev/null || echo none)"',
    '',
  ].join('\n');
}

/** Puts looop's files on the host and checks its tmux (>= 3.2); remembers what it learned. */
export function setupHost(paths: Paths, name: string, cfg: HostConfig): Promise<HostState> {
  return prepareHost(paths, { host: name, ssh: sshOptions(paths, name, cfg), dest: cfg.ssh });
}

/** The same with the connection a host was set up with (restart, resume): looop's files there put back if gone. */
export async function prepareHost(paths: Paths, base: Pick<HostState, 'host' | 'ssh' | 'dest'>): Promise<HostState> {
  const name = base.host;
  mkdirSync(dirname(paths.sshControl(name)), { recursive: true, mode: 0o700 });
  const out = await sshScript(base, setupScript(profileKey(paths.root)), 20_000);
  const get = (k: string) => out.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1]?.trim() ?? '';
  const tmux = get('tmux');
  const v = parseVersion(tmux);
  if (!v || v[0] < 3 || (v[0] === 3 && v[1] < 2)) throw new InvalidInputError(`host ${name}: ${tmux || 'tmux'} is not usable: looop needs tmux >= 3.2 there`);
  const state: HostState = { host: name, ssh: base.ssh, dest: base.dest, dir: get('dir'), tmux };
  mkdirSync(paths.hosts, { recursive: true, mode: 0o700 });
  writeFileAtomic(paths.hostState(name), JSON.stringify(state, null, 2) + '\n', 0o600);
  return state;
}

export function readHostState(paths: Paths, name: string): HostState | null {
  try {
    const s = JSON.parse(readFileSync(paths.hostState(name), 'utf8')) as HostState;
    return s && s.host === name && Array.isArray(s.ssh) && typeof s.dir === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** Every host looop has set up for this profile (the ones that can have workers). */
export function knownHosts(paths: Paths): HostState[] {
  let names: string[];
  try {
    names = readdirSync(paths.hosts);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => readHostState(paths, n.slice(0, -5)))
    .filter((s): s is HostState => s !== null);
}

/** One lease request a remote worker left on its window: "claim|release nonce ttl name note". */
export function parseLeaseRequest(req: string): { verb: 'claim' | 'release'; nonce: string; ttlS?: number; name: string; note?: string } | null {
  const m = req.match(/^(claim|release) (\S+) (-|\d+) (\S+)(?: (.*))?$/);
  if (!m) return null;
  return { verb: m[1] as 'claim' | 'release', nonce: m[2]!, ...(m[3] !== '-' ? { ttlS: Number(m[3]) } : {}), name: m[4]!, ...(m[5] ? { note: m[5] } : {}) };
}

/**
 * Answers the lease requests of workers on other hosts: taken or released in the profile's own claims/
 * (one lease table for every host), the outcome written back on the window for the waiting helper.
 */
export async function answerLeaseRequests(ctx: Pick<Ctx, 'paths' | 'env'>, rows: WindowRow[]): Promise<void> {
  const asking = rows.filter((r) => r.req && r.host && isRemote(r.server));
  if (!asking.length) return;
  const { takeClaim, releaseClaim } = await import('../claims/index.ts');
  const alive = new Set(rows.filter((r) => r.alive).map((r) => r.id));
  for (const row of asking) {
    const req = parseLeaseRequest(row.req);
    let answer: string;
    if (!req) answer = '2 malformed lease request';
    else {
      try {
        if (req.verb === 'claim') {
          const res = await takeClaim(ctx as Ctx, { name: req.name, session: row.id, external: false, ttlS: req.ttlS, note: req.note, isAlive: (s) => alive.has(s) || !rows.some((r) => r.id === s) });
          answer = `0 ${res.outcome === 'renewed' ? 'renewed' : 'claimed'} ${req.name} for session ${row.id}`;
        } else {
          const res = await releaseClaim(ctx as Ctx, { name: req.name, session: row.id });
          answer = `0 ${res.released ? 'released' : 'not held:'} ${req.name}`;
        }
      } catch (err) {
        answer = `1 ${errorMessage(err)}`;
      }
    }
    await setWindowOptions(row.server, row.windowId, { [OPT.ans]: `${req?.nonce ?? '-'} ${answer}`, [OPT.req]: null }).catch(() => undefined);
  }
}

/** Read only: does the host answer, which tmux, which of `programs` are installed there. */
export async function probeHost(paths: Paths, name: string, cfg: HostConfig, programs: string[]): Promise<{ tmux: string; missing: string[] }> {
  const base = { host: name, ssh: sshOptions(paths, name, cfg), dest: cfg.ssh };
  mkdirSync(dirname(paths.sshControl(name)), { recursive: true, mode: 0o700 });
  const checks = programs.map((p) => `command -v ${shellQuote(p)} >/dev/null 2>&1 || printf 'missing=%s\\n' ${shellQuote(p)}`);
  const out = await sshScript(base, ['printf "tmux=%s\\n" "$(tmux -V 2>/dev/null || echo none)"', ...checks, ''].join('\n'), 10_000);
  return { tmux: out.match(/^tmux=(.*)$/m)?.[1]?.trim() ?? 'none', missing: [...out.matchAll(/^missing=(.*)$/gm)].map((m) => m[1]!) };
}

/** From now on the profile's listings read these hosts too. */
export function registerHosts(paths: Paths): void {
  useHosts(paths.socket, () => knownHosts(paths).map(remoteOf));
}

/** Writes private files on the host (the window's environment); through the shared connection. The touched files' sizes. */
export async function writeRemoteFiles(r: Remote, files: Record<string, string>, touch: string[] = []): Promise<number[]> {
  const lines = ['set -e', 'umask 077'];
  for (const [path, body] of Object.entries(files)) {
    // A here-document under a delimiter the body cannot end early on.
    const end = `__LOOOP_END_${createHash('sha256').update(body).digest('hex').slice(0, 16)}__`;
    lines.push(`mkdir -p ${shellQuote(dirname(path))}`, `cat > ${shellQuote(path)} <<'${end}'\n${body.replace(/\n?$/, '\n')}${end}`);
  }
  for (const path of touch) lines.push(`mkdir -p ${shellQuote(dirname(path))}`, `: >> ${shellQuote(path)}`, `wc -c < ${shellQuote(path)}`);
  return (await sshScript(r, lines.join('\n') + '\n'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => Number(l.trim()) || 0);
}

/** `stty -a` of a pane's terminal on its host (Linux -F, BSD -f); null when it cannot be read. */
export async function remoteStty(r: Remote, tty: string): Promise<string | null> {
  if (!tty) return null;
  const t = shellQuote(tty);
  return sshScript(r, `stty -F ${t} -a 2>/dev/null || stty -f ${t} -a\n`, 3000).catch(() => null);
}

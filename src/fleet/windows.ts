// Reads the whole fleet from tmux in ONE call and turns each looop window into a WorkerInfo.
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { byId, checkId, idProblem } from '../ids.ts';
import { HostUnreachableError, listWindows, listWindowsWithScreens, SESSION, type Remote, type Server } from '../tmux.ts';
import type { RunState, WorkerInfo } from './types.ts';
import { envTunable } from '../tunables.ts';

// Window user options looop keeps on each of its windows; tmux is the truth for them (level-triggered).
export const OPT = {
  id: '@looop_id',
  role: '@looop_role',
  runner: '@looop_runner',
  cmd: '@looop_cmd',
  started: '@looop_started',
  flag: '@looop_flag',
  flagTs: '@looop_flag_ts',
  /** "blocker" when the fleet raised the flag itself (a first-run dialog); cleared when the dialog is gone. */
  flagBy: '@looop_flag_by',
  popped: '@looop_popped',
  killed: '@looop_killed',
  logStart: '@looop_log_start',
  /** A lease request from a worker on another host ("claim|release nonce ttl name note"), and looop's answer. */
  req: '@looop_req',
  ans: '@looop_ans',
} as const;

export const FLAG_MARK = '⚑';

const FIELDS = [
  '#{session_name}', '#{window_id}', '#{pane_id}', `#{${OPT.id}}`, `#{${OPT.role}}`, '#{pane_dead}',
  '#{pane_dead_status}', '#{pane_dead_signal}', `#{${OPT.killed}}`, '#{window_activity}', `#{${OPT.started}}`,
  '#{pane_pid}', '#{pane_in_mode}', '#{pane_tty}', `#{${OPT.runner}}`, `#{${OPT.flagTs}}`, `#{${OPT.popped}}`,
  `#{${OPT.logStart}}`, `#{${OPT.flagBy}}`, '#{pane_current_path}', `#{${OPT.req}}`, '#{@looop_exit}', `#{${OPT.flag}}`,
];
export const LIST_FORMAT = FIELDS.join('\t');

export interface WindowRow extends Omit<WorkerInfo, 'state' | 'source'> {
  /** What tmux says; the worker's activity state is derived in fleet/state.ts. */
  state: RunState;
  role: 'worker' | 'pulse';
  windowId: string;
  paneId: string;
  paneTty: string;
  inMode: boolean;
  runner: string;
  killedReason: string | null;
  startedAt: number;
  flagTs: string;
  popped: string;
  logStart: number;
  flagBy: string;
  cwd: string;
  /** A host's screen, read with the listing (one round trip); undefined: capture it when needed. */
  screen?: string;
  /** A host's worker files (events, status) by name: their tails, read with the listing. */
  tails?: Record<string, string>;
  /** Seconds this machine's clock is ahead of the host's (0 when they agree): add it to the host's times. */
  skew?: number;
  /** A pending lease request (remote workers only). */
  req: string;
  /** The server the window lives on: tmux calls about this worker go there. */
  server: Server;
  /** The host from config `hosts`; absent = this machine. */
  host?: string;
}

const num = (s: string | undefined): number | null => (s === undefined || s === '' || !/^-?\d+$/.test(s) ? null : Number(s));

export function stuckSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return envTunable(env, 'LOOOP_WORKER_STUCK_SECS');
}

/** The ⚑ note stored in @looop_flag ("⚑ note" or just "⚑"); null when not flagged. */
export function flagNote(raw: string): string | null {
  if (!raw) return null;
  const rest = raw.startsWith(FLAG_MARK) ? raw.slice(FLAG_MARK.length) : raw;
  return rest.replace(/^ /, '');
}

// The third argument (a stuck threshold) is no longer used here: states are derived in fleet/state.ts.
export function parseRow(line: string, now: number, _stuckS?: number): WindowRow | null {
  const f = line.split('\t');
  if (f.length < FIELDS.length || f[0] !== SESSION || !f[3]) return null;
  const flagRaw = f.slice(FIELDS.length - 1).join('\t');
  const dead = f[5] === '1';
  const killedReason = f[8] ? f[8] : null;
  const signal = num(f[7]);
  // tmux loses a dead pane's status now and then; the start wrapper recorded it in @looop_exit.
  const exitCode = dead ? (num(f[6]) ?? (signal !== null ? 128 + signal : num(f[21]))) : null;
  const activity = num(f[9]) ?? now;
  const started = num(f[10]) ?? activity;
  const flag = flagNote(flagRaw);
  const state = killedReason ? 'killed' : dead ? 'exited' : 'running';
  const alive = state === 'running';
  const idle = Math.max(0, now - activity);
  // A worker can rewrite its own @looop_id: a value that is not a valid id is shown (and addressed) by the
  // tmux window number instead, so it never reaches a shell, a completion or a file name.
  const id = idProblem(f[3]) === null ? f[3]! : `window-${f[1]!.replace(/^@/, '')}`;
  return {
    id,
    role: f[4] === 'pulse' ? 'pulse' : 'worker',
    state,
    alive,
    exit_code: exitCode,
    flag: alive ? flag : null,
    age_s: Math.max(0, now - started),
    idle_s: idle,
    pid: dead ? null : num(f[11]),
    windowId: f[1]!,
    paneId: f[2]!,
    inMode: f[12] === '1',
    paneTty: f[13] ?? '',
    runner: f[14] ?? '',
    killedReason,
    startedAt: started,
    flagTs: f[15] ?? '',
    popped: f[16] ?? '',
    logStart: num(f[17]) ?? 0,
    flagBy: f[18] ?? '',
    cwd: f[19] ?? '',
    req: f[20] ?? '',
    server: '',
  };
}

// The remote servers that belong to a profile (keyed by its local socket), registered with its context.
const remoteSources = new Map<string, () => Remote[]>();
export function useHosts(socket: string, list: () => Remote[]): void {
  remoteSources.set(socket, list);
}

interface Health {
  down: boolean;
  error: string;
  retryAt: number;
  inFlight?: Promise<unknown>;
}
const health = new Map<string, Health>();
// Per host: the worker files read with its last listing ("<id>/<file>"), so an unchanged one is not sent again.
const tailCache = new Map<string, Map<string, { size: number; text: string }>>();

/** Hosts of the profile that did not answer on their last read (their workers are unknown, not lost). */
export function unreachableHosts(): Map<string, string> {
  return new Map([...health].filter(([, h]) => h.down).map(([k, h]) => [k, h.error]));
}

/** How long a host may take to list its windows before it counts as unreachable. */
export function hostBoundMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.LOOOP_HOST_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 3000;
}

function parseAll(out: string | null, server: Server, host?: string): WindowRow[] {
  if (out === null) return [];
  const now = Math.floor(Date.now() / 1000);
  const rows: WindowRow[] = [];
  for (const line of out.split('\n')) {
    const row = line ? parseRow(line, now) : null;
    if (!row) continue;
    row.server = server;
    // The pulse only ever runs here: a remote window claiming that role is a worker.
    if (host) Object.assign(row, { host, role: 'worker' });
    rows.push(row);
  }
  return rows;
}

/** How far this machine's clock is ahead of a host's; a second or two is the round trip, not the clocks. */
export function clockSkew(localNow: number, hostNow: number): number {
  const d = localNow - hostNow;
  return Math.abs(d) <= 2 ? 0 : d;
}

async function readHost(r: Remote, env: NodeJS.ProcessEnv): Promise<WindowRow[] | null> {
  const read = async (): Promise<WindowRow[] | null> => {
    try {
      const seen = tailCache.get(r.host) ?? new Map<string, { size: number; text: string }>();
      const known = new Map([...seen].map(([k, v]) => [k, v.size]));
      const got = await listWindowsWithScreens(r, LIST_FORMAT, { timeoutMs: hostBoundMs(env), known });
      const rows = parseAll(got?.list ?? null, r, r.host);
      // A file sent as unchanged keeps the text read before; files of workers that are gone are forgotten.
      const next = new Map<string, { size: number; text: string }>();
      for (const [k, t] of got?.tails ?? []) {
        const text = t.text ?? seen.get(k)?.text;
        if (text !== undefined) next.set(k, { size: t.size, text });
      }
      tailCache.set(r.host, next);
      const skew = got?.clock ? clockSkew(Math.floor(Date.now() / 1000), got.clock) : 0;
      for (const row of rows) {
        // tmux's activity time is the host's; looop's own start time is ours.
        if (skew) Object.assign(row, { skew, idle_s: Math.max(0, row.idle_s - skew) });
        row.screen = got?.screens.get(row.paneId);
        const files = (r.tails?.files ?? []).filter((f) => next.has(`${row.id}/${f}`));
        if (files.length) row.tails = Object.fromEntries(files.map((f) => [f, next.get(`${row.id}/${f}`)!.text]));
      }
      health.set(r.host, { down: false, error: '', retryAt: 0 });
      return rows;
    } catch (err) {
      if (!(err instanceof HostUnreachableError)) throw err;
      health.set(r.host, { down: true, error: err.message, retryAt: Date.now() + 2000 });
      return null;
    }
  };
  // A host known to be down is retried in the background: a watcher polling every second never waits on it.
  const h = health.get(r.host);
  if (h?.down) {
    if (!h.inFlight && Date.now() >= h.retryAt) h.inFlight = read().catch(() => null);
    return null;
  }
  return read();
}

/** Every looop window of the profile server (pulse included); [] when the server is down. */
export async function readWindows(socket: string, env: NodeJS.ProcessEnv = process.env): Promise<WindowRow[]> {
  // The local server and every host of the profile, in parallel; a host that does not answer adds nothing.
  const remotes = remoteSources.get(socket)?.() ?? [];
  // The hosts' ssh calls start first: they take longest, and each spawn holds this thread for a while.
  const far = remotes.map((r) => readHost(r, env));
  const [local, ...farRows] = await Promise.all([listWindows(socket, LIST_FORMAT), ...far]);
  const rows = [...parseAll(local, socket), ...farRows.flatMap((r) => r ?? [])];
  return rows.sort(byId);
}

export async function readWorkers(socket: string, env: NodeJS.ProcessEnv = process.env): Promise<WindowRow[]> {
  return (await readWindows(socket, env)).filter((r) => r.role === 'worker');
}

/** Validates a worker id, with guidance when it names the loop itself. */
export function workerId(id: unknown): string {
  if (id === 'pulse') {
    throw new InvalidInputError('"pulse" is the loop itself, not a worker: stop it with Ctrl-C where `looop` runs; follow it with `looop watch pulse`');
  }
  return checkId('worker id', id);
}

/** The window of one worker (or of the pulse when allowed); a clear NotFoundError otherwise. */
export async function findWindow(socket: string, id: string, opts: { allowPulse?: boolean } = {}): Promise<WindowRow> {
  if (opts.allowPulse && id === 'pulse') checkId('session id', id, { allowPulse: true });
  else workerId(id);
  const row = (await readWindows(socket)).find((r) => r.id === id);
  if (!row) {
    if (id === 'pulse') throw new NotFoundError('the pulse is not running on this profile (start it with `looop`)');
    // It may be on a host that did not answer: say so rather than that it does not exist.
    const away = [...unreachableHosts().keys()];
    if (away.length) throw new NotFoundError(`no worker "${id}" here, and ${away.length > 1 ? 'hosts' : 'host'} ${away.join(', ')} did not answer (see \`looop ls\`)`);
    throw new NotFoundError(`no worker "${id}" on this profile (see \`looop ls\`)`);
  }
  return row;
}

/** Like findWindow, but the worker must still be running. */
export async function findLive(socket: string, id: string): Promise<WindowRow> {
  const row = await findWindow(socket, id);
  if (!row.alive) {
    const how = row.state === 'killed' ? 'was killed' : `exited (${row.exit_code ?? '?'})`;
    throw new InvalidInputError(`worker "${id}" ${how}; \`looop resume ${id}\` continues its conversation, \`looop restart ${id}\` starts it afresh`);
  }
  return row;
}

/** What decided a row's state when nothing but tmux was read (see fleet/perceive.ts for the full reading). */
export interface StateView {
  state: WorkerInfo['state'];
  source: WorkerInfo['source'];
  since?: number;
  said?: string;
}

/** The WorkerInfo the beat and `ls --json` see (stable keys). */
export function info(r: WindowRow, seen?: StateView): WorkerInfo & { runner: string } {
  const s: StateView = seen ?? (r.state !== 'running' ? { state: r.state, source: 'tmux' } : r.flag !== null ? { state: r.flagBy === 'blocker' ? 'asking' : 'flagged', source: 'flag' } : { state: 'working', source: 'tmux' });
  const out: WorkerInfo & { runner: string } = { id: r.id, state: s.state, source: s.source, alive: r.alive, exit_code: r.exit_code, flag: r.flag, age_s: r.age_s, idle_s: r.idle_s, pid: r.pid, runner: r.runner };
  if (r.cwd) out.cwd = r.cwd;
  if (r.host) out.host = r.host;
  if (s.since !== undefined) out.since = s.since;
  if (s.said !== undefined) out.said = s.said;
  return out;
}

// The only place that knows the data-dir layout and where config, socket and scratch live.
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

type Env = NodeJS.ProcessEnv;

/** A leading ~ is the home directory, as a shell would have expanded it had the value not been quoted. */
function expandHome(path: string, env: Env): string {
  return path === '~' || path.startsWith('~/') ? join(env.HOME || homedir(), path.slice(1)) : path;
}

export function resolveDataDir(env: Env = process.env): string {
  if (env.LOOOP_DATA_DIR) return resolve(expandHome(env.LOOOP_DATA_DIR, env));
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'looop');
}

export function resolveConfigPath(env: Env = process.env): string {
  if (env.LOOOP_CONFIG) return resolve(expandHome(env.LOOOP_CONFIG, env));
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'looop.json');
}

// Unix socket paths are limited to ~104 bytes (macOS 103); stay under 100.
const SOCKET_MAX = 100;

export function socketPathFor(dataDir: string): string {
  const inside = join(dataDir, '.tmux.sock');
  if (Buffer.byteLength(inside) < SOCKET_MAX) return inside;
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'u';
  return join(tmpdir(), `looop-${uid}`, `${key}.sock`);
}

/** Is this socket in the shared temp folder (a long data-dir path), where other users could act first? */
export function isFallbackSocket(socket: string): boolean {
  return dirname(dirname(socket)) === tmpdir() && basename(dirname(socket)).startsWith('looop-');
}

/**
 * Why the temp socket folder cannot be trusted (a link, another user's, open to others), as one line
 * saying what to do; null when it is fine or does not exist yet.
 */
export function socketDirProblem(socket: string): string | null {
  if (!isFallbackSocket(socket)) return null;
  const dir = dirname(socket);
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return null;
  }
  const fix = `remove it, or use a shorter LOOOP_DATA_DIR path so the socket lives in the data dir`;
  if (st.isSymbolicLink() || !st.isDirectory()) return `the tmux socket folder ${dir} is not a plain folder (a link?); ${fix}`;
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid !== null && st.uid !== uid) return `the tmux socket folder ${dir} belongs to another user (uid ${st.uid}); ${fix}`;
  if ((st.mode & 0o077) !== 0) return `the tmux socket folder ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); ${fix}`;
  return null;
}

const sshDirOf = (dataDir: string) => join(dataDir, '.ssh');

/** ssh's connection-sharing socket for a host: in the data dir, or the private temp folder when that path is too long. */
export function sshControlPath(dataDir: string, host: string): string {
  const h = createHash('sha256').update(host).digest('hex').slice(0, 10);
  // ssh adds ~20 bytes of temporary suffix while it creates the socket.
  const inside = join(sshDirOf(dataDir), h);
  if (Buffer.byteLength(inside) + 20 < SOCKET_MAX) return inside;
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'u';
  return join(tmpdir(), `looop-${uid}`, `${key}-${h}`);
}

export type Paths = ReturnType<typeof layout>;

export function layout(dataDir: string) {
  const at = (...parts: string[]) => join(dataDir, ...parts);
  return {
    root: dataDir,
    playbook: at('PLAYBOOK.md'),
    goals: at('goals'),
    goalsArchive: at('goals', 'archive'),
    sensors: at('sensors'),
    journal: at('journal.md'),
    claims: at('claims'),
    claimsLock: at('claims', '.lock'),
    reports: at('reports'),
    snapshots: at('snapshots'),
    runs: at('runs'),
    prompts: at('prompts'),
    sessions: at('sessions'),
    cost: at('cost.jsonl'),
    gitignore: at('.gitignore'),
    git: at('.git'),
    /** Questions the decider asked the person (action ask), one JSON file each. */
    asks: at('asks'),
    ask: (id: string) => at('asks', `${id}.json`),
    /** Content hashes of sensors: decider-written ones waiting for approval, and approved ones. */
    approvals: at('.sensor-approvals.json'),
    lock: at('.lock'),
    lastHash: at('.last-tick-hash'),
    lastWorld: at('.last-world.json'),
    backoff: at('.tick-backoff'),
    lastFailure: at('.last-failure.json'),
    lastShell: at('.last-run-shell.json'),
    nextInterval: at('.next-interval'),
    /** A wake-up the decider asked for (next_interval_s): that beat decides even in an unchanged world. */
    nudge: at('.nudge.json'),
    /** Sensors already reported as printing non-JSON (reported once). */
    notJson: at('.sensors-not-json.json'),
    decision: at('.decision.json'),
    flaps: at('.flap-streaks.json'),
    decideLog: at('.decide-times.json'),
    lastDecision: at('.last-decision.json'),
    lastBeat: at('.last-beat.json'),
    configCache: at('.config-cache.json'),
    cronLog: at('.cron.log'),
    lockOwner: at('.lock-owner'),
    acting: at('.acting.json'),
    pulseStartLock: at('.pulse-start.lock'),
    snapshotMeta: at('snapshots', '.meta.json'),
    schedules: at('schedules'),
    /** What needs the human: one JSON record per line, append-only, committed like the journal. */
    inbox: at('inbox.jsonl'),
    /** Which inbox records the human has acknowledged. */
    inboxRead: at('.inbox-read.json'),
    /** How many inbox records notify_command has been run for. */
    inboxDelivered: at('.inbox-delivered.json'),
    inboxDeliverLock: at('.inbox-deliver.lock'),
    /** Holds already told to the inbox (budget, rate cap, a failure waiting cannot heal), one note each. */
    holds: at('.holds.json'),
    /** One-shot: the next beat ignores the backoff and the world hash (tick --force, poke). */
    forceNext: at('.force-next'),
    /** Written by `looop stop` so the foreground it ends can say why. */
    stopRequest: at('.stop-request'),
    socket: socketPathFor(dataDir),
    /** What looop learned setting a host up (its home, tmux version, the folder it owns there). */
    hosts: at('hosts'),
    hostState: (name: string) => at('hosts', `${name}.json`),
    sshControl: (name: string) => sshControlPath(dataDir, name),
    /** The folder of those sockets (when inside the data dir). */
    sshDir: sshDirOf(dataDir),
    goal: (id: string) => at('goals', `${id}.md`),
    archivedGoal: (id: string) => at('goals', 'archive', `${id}.md`),
    sensor: (name: string) => at('sensors', `${name}.sh`),
    snapshot: (name: string) => at('snapshots', `sensor-${name}.json`),
    snapshotErr: (name: string) => at('snapshots', `sensor-${name}.err`),
    run: (runId: string) => at('runs', runId),
    runPrompt: (runId: string) => at('runs', runId, 'prompt.md'),
    runOutput: (runId: string) => at('runs', runId, 'output.log'),
    runResult: (runId: string) => at('runs', runId, 'result.json'),
    runShellLog: (runId: string) => at('runs', runId, 'shell.log'),
    /** The decider's final message, saved by _fmt: the decision when no .decision.json was written. */
    runReply: (runId: string) => at('runs', runId, 'reply.txt'),
    workerPrompt: (id: string) => at('prompts', `${id}.md`),
    session: (id: string) => at('sessions', id),
    transcript: (id: string) => at('sessions', id, 'output.log'),
    rotatedTranscript: (id: string, stamp: string) => at('sessions', id, `output.${stamp}.log`),
    inputLock: (id: string) => at('sessions', id, '.input.lock'),
    /** A window's environment (0600), sourced and deleted by its wrapper so no secret is in argv. */
    windowEnv: (id: string, nonce: string) => at('sessions', id, `.env-${nonce}`),
    /** looop's record of the worker (fleet/record.ts). */
    workerRecord: (id: string) => at('sessions', id, 'worker.json'),
    /** One JSON line per agent event (hooks, pi extension), appended by the worker side. */
    workerEvents: (id: string) => at('sessions', id, 'events.jsonl'),
    /** The result of the worker's verify command (fleet/verify.ts). */
    workerVerify: (id: string) => at('sessions', id, 'verify.json'),
    /** Held while a verify runs, so it runs once. */
    verifyLock: (id: string) => at('sessions', id, '.verify.lock'),
    /** The verify command's output. */
    verifyLog: (id: string) => at('sessions', id, 'verify.log'),
    /** Unix seconds of the worker's last `looop done`. */
    workerDone: (id: string) => at('sessions', id, 'done'),
    /** pi's conversation for one run of the worker (`--session`), unique per start. */
    piSession: (id: string, uuid: string) => at('sessions', id, `pi-${uuid}.jsonl`),
    /** claude's per-worker settings (hooks, status line), passed with --settings. */
    workerSettings: (id: string) => at('sessions', id, 'claude-settings.json'),
    /** The last status-line input claude gave the worker's status line command (its running cost). */
    workerStatus: (id: string) => at('sessions', id, 'status.json'),
    /** How much of the worker's running cost is already in the ledger. */
    workerSpend: (id: string) => at('sessions', id, 'spend.json'),
    claim: (name: string) => at('claims', `${name}.json`),
    schedule: (name: string) => at('schedules', `${name}.json`),
  };
}

/** Env every child (sensor, runner, worker, run_shell) gets. */
export function childEnv(paths: Paths, configPath: string, bin: string): Record<string, string> {
  return {
    LOOOP_BIN: bin,
    LOOOP_DATA_DIR: paths.root,
    LOOOP_CONFIG: configPath,
    LOOOP_CLAIMS_DIR: paths.claims,
    LOOOP_REPORTS_DIR: paths.reports,
    LOOOP_COST_LEDGER: paths.cost,
  };
}

/** looop's own control state inside the data dir: run_shell's sandbox mounts it read-only. */
export function controlPaths(p: Paths): string[] {
  return [
    p.lock, p.lockOwner, p.decision, p.cost, p.decideLog, p.backoff, p.lastHash, p.lastWorld, p.lastFailure, p.lastShell,
    p.nextInterval, p.flaps, p.lastDecision, p.lastBeat, p.configCache, p.acting, p.pulseStartLock, p.cronLog,
    p.journal, p.gitignore, p.git, p.claims, p.sensors, p.sessions, p.runs, p.snapshots, p.asks, p.approvals, p.socket,
    // What steers the next beat, and the hosts' ssh options and shared connections (sockets: masked, not just read-only).
    p.nudge, p.forceNext, p.hosts, p.sshDir,
  ];
}

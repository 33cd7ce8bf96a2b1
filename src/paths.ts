// The only place that knows the data-dir layout and where config, socket and scratch live.
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
    lock: at('.lock'),
    lastHash: at('.last-tick-hash'),
    lastWorld: at('.last-world.json'),
    backoff: at('.tick-backoff'),
    lastFailure: at('.last-failure.json'),
    lastShell: at('.last-run-shell.json'),
    nextInterval: at('.next-interval'),
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
    socket: socketPathFor(dataDir),
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
    workerPrompt: (id: string) => at('prompts', `${id}.md`),
    session: (id: string) => at('sessions', id),
    transcript: (id: string) => at('sessions', id, 'output.log'),
    rotatedTranscript: (id: string, stamp: string) => at('sessions', id, `output.${stamp}.log`),
    inputLock: (id: string) => at('sessions', id, '.input.lock'),
    /** looop's record of the worker (fleet/record.ts). */
    workerRecord: (id: string) => at('sessions', id, 'worker.json'),
    /** One JSON line per agent event (hooks, pi extension), appended by the worker side. */
    workerEvents: (id: string) => at('sessions', id, 'events.jsonl'),
    claim: (name: string) => at('claims', `${name}.json`),
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

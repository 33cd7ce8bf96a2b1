// What the beat needs from the worker fleet; fleet/ implements it over the profile's tmux server.

/** What tmux says about the worker's process. */
export type RunState = 'running' | 'exited' | 'killed';

/** What the worker is doing, from the best source there is (fleet/state.ts). */
export const WORKER_STATES = ['starting', 'working', 'waiting', 'asking', 'flagged', 'stuck', 'exited', 'killed', 'lost', 'unknown'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

/** Which source decided the state: the CLI's hooks, the pi extension, the screen, tmux, the flag, or looop's record. */
export type StateSource = 'hooks' | 'extension' | 'screen' | 'tmux' | 'flag' | 'record';

export interface WorkerInfo {
  id: string;
  state: WorkerState;
  /** Which source decided `state`. */
  source: StateSource;
  alive: boolean;
  exit_code: number | null;
  /** The ⚑ note while the worker waits for a human ('' when flagged without a note). */
  flag: string | null;
  age_s: number;
  idle_s: number;
  pid: number | null;
  /** Unix seconds of the last state change we know of (an event, a flag, the window's start). */
  since?: number;
  /** The last lines the worker said (bounded): claude's last message, else the screen's tail. */
  said?: string;
  /** The pane's current directory (a lost worker: the directory it was started in). */
  cwd?: string;
  /** The host it runs on (config `hosts`); absent = this machine. */
  host?: string;
  /** When cwd is inside a git work tree: its branch and uncommitted changes against HEAD. */
  git?: GitWhere;
  /** The result of its verify command, once one ran (fleet/verify.ts). */
  verify?: { status: 'verified' | 'failed' | 'running'; exit_code: number | null; tail: string };
}

export interface GitWhere {
  /** null: detached HEAD. */
  branch: string | null;
  files: number;
  insertions: number;
  deletions: number;
}

export interface StartOptions {
  /** Where the worker runs: an existing directory; relative to the data dir. */
  cwd?: string;
  /** A check run once the worker is done (fleet/verify.ts). */
  verify?: string;
  /** A host from config `hosts`; default this machine. */
  host?: string;
}

export interface Fleet {
  /** The whole fleet in one tmux call; [] when the server is down; throws TmuxError on any other failure. */
  list(): Promise<WorkerInfo[]>;
  start(id: string, brief: string, runner?: string, opts?: StartOptions): Promise<void>;
  steer(id: string, input: string): Promise<void>;
  sendKeys(id: string, keys: string[]): Promise<void>;
  restart(id: string): Promise<void>;
  /** Continues the worker's own conversation (exited, killed or lost), in its cwd. */
  resume(id: string): Promise<void>;
  kill(id: string, reason: string): Promise<void>;
  /** Removes finished windows older than ttl seconds; returns their ids. */
  reapFinished(ttlS: number): Promise<string[]>;
  /** Shows a message to attached tmux clients (no-op when the server is down). */
  notify(message: string): Promise<void>;
}

// What the beat needs from the worker fleet; fleet/ implements it over the profile's tmux server.

/** lost: looop's record says live, tmux has no window (the server or the machine died). */
export type WorkerState = 'running' | 'exited' | 'killed' | 'lost';

export interface WorkerInfo {
  id: string;
  state: WorkerState;
  alive: boolean;
  exit_code: number | null;
  /** The ⚑ note while the worker waits for a human ('' when flagged without a note). */
  flag: string | null;
  /** busy | flagged | stuck | exited | killed | lost */
  health: 'busy' | 'flagged' | 'stuck' | 'exited' | 'killed' | 'lost';
  age_s: number;
  idle_s: number;
  pid: number | null;
  /** The pane's current directory (a lost worker: the directory it was started in). */
  cwd?: string;
  /** When cwd is inside a git work tree: its branch and uncommitted changes against HEAD. */
  git?: GitWhere;
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

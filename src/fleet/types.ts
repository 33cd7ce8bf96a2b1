// What the beat needs from the worker fleet; fleet/ implements it over the profile's tmux server.

export type WorkerState = 'running' | 'exited' | 'killed';

export interface WorkerInfo {
  id: string;
  state: WorkerState;
  alive: boolean;
  exit_code: number | null;
  /** The ⚑ note while the worker waits for a human ('' when flagged without a note). */
  flag: string | null;
  /** busy | flagged | stuck | exited | killed */
  health: 'busy' | 'flagged' | 'stuck' | 'exited' | 'killed';
  age_s: number;
  idle_s: number;
  pid: number | null;
}

export interface Fleet {
  /** The whole fleet in one tmux call; [] when the server is down; throws TmuxError on any other failure. */
  list(): Promise<WorkerInfo[]>;
  start(id: string, brief: string, runner?: string): Promise<void>;
  steer(id: string, input: string): Promise<void>;
  sendKeys(id: string, keys: string[]): Promise<void>;
  restart(id: string): Promise<void>;
  kill(id: string, reason: string): Promise<void>;
  /** Removes finished windows older than ttl seconds; returns their ids. */
  reapFinished(ttlS: number): Promise<string[]>;
  /** Shows a message to attached tmux clients (no-op when the server is down). */
  notify(message: string): Promise<void>;
}

// looop's own record of each worker, in the data dir (sessions/<id>/worker.json). It is the truth for
// what looop launched (command, runner, agent CLI, cwd, conversation id), so a worker cannot rewrite it
// through tmux, and it survives the tmux server (a record that says live with no window is a lost worker).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import { idProblem } from '../ids.ts';
import type { Paths } from '../paths.ts';

/** Which agent CLI a worker runs: decides where its state is read from (hooks, extension, screen). */
export type AgentCli = 'claude' | 'pi' | 'other';

export interface WorkerRecord {
  id: string;
  /** Runner name from the config (`runners.<name>`). */
  runner: string;
  cli: AgentCli;
  /** The exact command looop launched; `restart` runs this, never a tmux option. */
  command: string;
  /** The command that continues the same conversation (`resume`), when the runner has one. */
  resume?: string;
  cwd: string;
  /** The worker's prompt file (contract + brief). */
  prompt_file: string;
  /** Unix seconds. */
  started_at: number;
  /** claude: the `--session-id` uuid; pi: unused. */
  session_id?: string;
  /** pi: the `--session` file under the worker's folder. */
  session_file?: string;
  /** Host name from config `hosts`; absent = this machine. */
  host?: string;
  /** A command run once the worker is done; its result is part of the worker's state. */
  verify?: string;
  /** looop believes the window is live (set at start, cleared at exit/kill/reap). */
  live: boolean;
  /** Unix seconds of the last `resume`. */
  resumed_at?: number;
  /** Unix seconds when the loss of this life was put in the inbox (once per loss). */
  lost_noted_at?: number;
}

/** Records that say live with no window in tmux: lost (the server or the machine died under them). */
export function lostWorkers(records: WorkerRecord[], rows: Array<{ id: string }>): WorkerRecord[] {
  const seen = new Set(rows.map((r) => r.id));
  return records.filter((r) => r.live && !seen.has(r.id));
}

/** Guess the agent CLI from the runner's name or its command's first word. */
export function agentCliOf(runner: string, command: string): AgentCli {
  // Skip VAR=value assignments in front of the program.
  const first = command.trim().split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  const prog = first.slice(first.lastIndexOf('/') + 1);
  if (runner === 'claude' || prog === 'claude') return 'claude';
  if (runner === 'pi' || prog === 'pi') return 'pi';
  return 'other';
}

export function writeRecord(paths: Paths, rec: WorkerRecord): void {
  writeFileAtomic(paths.workerRecord(rec.id), JSON.stringify(rec, null, 2) + '\n', 0o600);
}

/** The record, or null when absent or unreadable (a damaged record never crashes a listing). */
export function readRecord(paths: Paths, id: string): WorkerRecord | null {
  const file = paths.workerRecord(id);
  if (!existsSync(file)) return null;
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as WorkerRecord;
    return rec && typeof rec === 'object' && rec.id === id && typeof rec.command === 'string' ? rec : null;
  } catch {
    return null;
  }
}

export function updateRecord(paths: Paths, id: string, patch: Partial<WorkerRecord>): WorkerRecord | null {
  const rec = readRecord(paths, id);
  if (!rec) return null;
  const next = { ...rec, ...patch, id };
  writeRecord(paths, next);
  return next;
}

/** Every worker record in the profile, sorted by id. */
export function listRecords(paths: Paths): WorkerRecord[] {
  let names: string[];
  try {
    names = readdirSync(paths.sessions);
  } catch {
    return [];
  }
  const out: WorkerRecord[] = [];
  for (const name of names.sort()) {
    if (idProblem(name)) continue;
    const rec = readRecord(paths, name);
    if (rec) out.push(rec);
  }
  return out;
}


/** Marks ended workers' records not live, so a later missing window is not mistaken for a lost one. */
export function markEnded(paths: Paths, ids: string[]): void {
  for (const id of ids) {
    const rec = readRecord(paths, id);
    if (rec?.live) writeRecord(paths, { ...rec, live: false });
  }
}

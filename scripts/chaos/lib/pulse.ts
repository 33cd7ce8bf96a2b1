// Driving the foreground `looop --json` and finding its pulse (the `pulse` window's pane pid).
import type { ChaosProfile, Started } from './profile.ts';
import { events, type Ev } from './invariants.ts';
import { alive, sleep, startTime, waitFor } from './procs.ts';

export interface Window {
  id: string;
  role: string;
  pid: number;
  dead: boolean;
}

/** Every looop window the profile's tmux server lists ([] when it is down). */
export function windows(p: ChaosProfile): Window[] {
  const r = p.tmux(['list-windows', '-a', '-F', '#{@looop_id}\t#{@looop_role}\t#{pane_pid}\t#{pane_dead}']);
  if (r.code !== 0) return [];
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter((f) => f[0])
    .map((f) => ({ id: f[0]!, role: f[1]!, pid: Number(f[2]), dead: f[3] === '1' }));
}

export function pulsePid(p: ChaosProfile): number | null {
  return windows(p).find((w) => w.role === 'pulse' && !w.dead)?.pid ?? null;
}

export interface Foreground extends Started {
  evs(): Ev[];
  /** Waits for an event matching `test` that arrived after index `from`. */
  waitEvent(test: (e: Ev) => boolean, timeoutMs: number, from?: number): Promise<Ev | null>;
}

export function startForeground(p: ChaosProfile, env: NodeJS.ProcessEnv = {}): Foreground {
  const s = p.start(['--json'], { env });
  const evs = () => events(s.out());
  return {
    ...s,
    evs,
    waitEvent: (test, timeoutMs, from = 0) => waitFor(() => evs().slice(from).find(test) ?? null, timeoutMs, 50),
  };
}

/** The pulse of a freshly started foreground, with its start time (to tell a reused pid). */
export async function awaitPulse(p: ChaosProfile, timeoutMs = 15_000): Promise<{ pid: number; start: string } | null> {
  const pid = await waitFor(() => pulsePid(p), timeoutMs, 50);
  if (!pid) return null;
  return { pid, start: startTime(pid) ?? '' };
}

export async function waitGone(pids: Array<{ pid: number; start?: string }>, timeoutMs: number): Promise<boolean> {
  return Boolean(await waitFor(() => pids.every((x) => !alive(x.pid, x.start)) || null, timeoutMs, 50));
}

export { sleep };

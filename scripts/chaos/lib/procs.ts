// Process facts from /proc: is a pid still the process we saw, and how big is it.
import { readdirSync, readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces: split after the last ')'. rest[0] is field 3 (state).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The kernel start time of a pid (field 22), which tells a reused pid from the one we saw. */
export function startTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Running (not a zombie) and, when given, still the same process. */
export function alive(pid: number, start?: string | null): boolean {
  const f = statFields(pid);
  if (!f || f[0] === 'Z' || f[0] === 'X') return false;
  return !start || f[19] === start;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 160);
  } catch {
    return '?';
  }
}

export function rssKb(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

export async function waitFor<T>(fn: () => T | null | undefined | false, timeoutMs: number, stepMs = 50): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() >= deadline) return null;
    await sleep(stepMs);
  }
}

/** SIGKILL a pid we started ourselves (never a name). */
export function kill9(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** SIGKILL the process group a pid we started leads (it was spawned detached). */
export function kill9Group(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

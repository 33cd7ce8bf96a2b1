// Ending a worker (or the pulse) for good: every process below its pane, whatever group or session
// it moved to (node's detached children call setsid), is signalled; survivors get SIGKILL.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isAlive } from '../proc/alive.ts';
import { sleep } from '../proc/sleep.ts';

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
}

function fromProc(): Proc[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const out: Proc[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgid: Number(rest[2]) });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function fromPs(): Proc[] {
  try {
    const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
    return text.split('\n').filter((l) => l.trim()).map((l) => {
      const [pid, ppid, pgid] = l.trim().split(/\s+/).map(Number);
      return { pid: pid!, ppid: ppid!, pgid: pgid! };
    });
  } catch {
    return [];
  }
}

function walk(roots: number[]): Proc[] {
  const table = fromProc() ?? fromPs();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const children = new Map<number, number[]>();
  for (const p of table) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const seen = new Map<number, Proc>();
  const stack = roots.filter((r) => r > 1);
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.set(pid, byPid.get(pid) ?? { pid, ppid: 0, pgid: 0 });
    stack.push(...(children.get(pid) ?? []));
  }
  return [...seen.values()];
}

/** Each root and all its descendants (the process table is read once for all roots). */
export function processTrees(roots: number[]): number[] {
  return walk(roots).map((p) => p.pid);
}

export { isAlive };

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/**
 * SIGTERM + SIGHUP to every process of the trees (and their process groups, never our own), then
 * SIGKILL to whatever is left after `graceMs`. Returns the pids that were signalled.
 */
export async function killTrees(roots: number[], graceMs = 3000): Promise<number[]> {
  const self = walk([process.pid]).find((p) => p.pid === process.pid);
  const ownGroup = self?.pgid ?? -1;
  const procs = walk(roots).filter((p) => p.pid !== process.pid);
  if (!procs.length) return [];
  const groups = new Set(procs.map((p) => p.pgid).filter((g) => g > 1 && g !== ownGroup));
  for (const p of procs) {
    signal(p.pid, 'SIGTERM');
    signal(p.pid, 'SIGHUP');
  }
  for (const g of groups) signal(-g, 'SIGTERM');
  const pids = procs.map((p) => p.pid);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await sleep(50);
  // Children forked while we waited belong to the trees too.
  for (const pid of processTrees(pids)) if (pid !== process.pid) signal(pid, 'SIGKILL');
  for (const g of groups) signal(-g, 'SIGKILL');
  return pids;
}

// Whether a process still runs: one rule for every caller (locks, claims, workers, tests).
import { readFileSync } from 'node:fs';

/** A zombie (exited, not yet reaped by its parent, e.g. the tmux server) counts as gone; EPERM means it exists. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which may itself contain ") ".
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    // no /proc (macOS) or just reaped: trust kill(0)
    return true;
  }
}

// Ending the loop: every worker (and, from outside, the pulse) is stopped with its whole process tree.
// Windows and transcripts stay; workers are marked killed so `looop ls` says what happened.
import type { FleetCtx } from '../fleet/launch.ts';
import { killTrees } from '../fleet/procs.ts';
import { OPT, readWindows, type WindowRow } from '../fleet/windows.ts';
import { isRemote, setWindowOptions, type Remote } from '../tmux.ts';
import { killRemote } from '../fleet/control.ts';

export interface Teardown {
  workers: string[];
  pids: number[];
}

export async function teardownFleet(ctx: FleetCtx, opts: { pulse: boolean; reason: string; graceMs?: number }): Promise<Teardown> {
  let rows: WindowRow[];
  try {
    rows = await readWindows(ctx.paths.socket);
  } catch {
    return { workers: [], pids: [] };
  }
  const workers = rows.filter((r) => r.role === 'worker' && r.pid !== null);
  const pulse = opts.pulse ? rows.filter((r) => r.role === 'pulse' && r.pid !== null) : [];
  // Mark before signalling, so no reader ever sees a dying worker as simply "exited".
  await Promise.all(workers.map((w) => setWindowOptions(w.server, w.windowId, { [OPT.killed]: opts.reason, [OPT.flag]: null }).catch(() => undefined)));
  // A pid on another host is ended there, through its connection; only this machine's pids are signalled here.
  const far = workers.filter((w) => isRemote(w.server));
  const remote = Promise.all(far.map((w) => killRemote(w.server as Remote, w.pid!, opts.graceMs ?? 3000).catch(() => '')));
  const pids = await killTrees([...workers.filter((w) => !isRemote(w.server)), ...pulse].map((r) => r.pid!), opts.graceMs ?? 3000);
  await remote;
  return { workers: workers.map((w) => w.id), pids };
}

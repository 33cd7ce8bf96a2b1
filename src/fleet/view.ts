// The fleet as the operator verbs and status see it: a list, or why it could not be read.
import type { Ctx } from '../context.ts';
import { errorMessage } from '../errors.ts';
import type { WorkerInfo } from './types.ts';
import { perceiveInfos } from './perceive.ts';
import { readWindows } from './windows.ts';

export type FleetView = { ok: true; workers: Array<WorkerInfo & { runner: string }>; pulse: { alive: boolean; state: string; pid?: number | null } | null } | { ok: false; error: string };

/** One tmux call: workers and the pulse window. A down server is an empty fleet; any other failure says why. */
export async function viewFleet(ctx: Pick<Ctx, 'paths' | 'env'>): Promise<FleetView> {
  try {
    const rows = await readWindows(ctx.paths.socket, ctx.env);
    const pulse = rows.find((r) => r.role === 'pulse');
    return {
      ok: true,
      workers: await perceiveInfos(ctx, rows, { write: false }),
      pulse: pulse ? { alive: pulse.alive, state: pulse.state, pid: pulse.pid } : null,
    };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

/** Liveness for leases: unknown (fleet unreadable) counts as alive, so a lease is never stolen on a guess. */
export function livenessFrom(view: FleetView): (session: string) => boolean {
  if (!view.ok) return () => true;
  // A worker on a host that does not answer may well be running: its leases stand.
  const alive = new Set(view.workers.filter((w) => w.alive || w.state === 'unknown').map((w) => w.id));
  if (view.pulse?.alive) alive.add('pulse');
  return (s) => alive.has(s);
}

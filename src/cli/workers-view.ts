// The fleet as the operator verbs (status, claim, completion) see it: a list, or why it could not be read.
import type { Ctx } from '../context.ts';
import type { WorkerInfo } from '../fleet/types.ts';

export type FleetView = { ok: true; workers: WorkerInfo[] } | { ok: false; error: string };

export async function viewFleet(_ctx: Ctx): Promise<FleetView> {
  // Wired to createFleet(ctx, config).list() once src/fleet/index.ts lands.
  return { ok: false, error: 'the worker fleet is not available in this build' };
}

/** Liveness for leases: unknown (fleet unreadable) counts as alive, so a lease is never stolen on a guess. */
export function livenessFrom(view: FleetView): (session: string) => boolean {
  if (!view.ok) return () => true;
  const alive = new Set(view.workers.filter((w) => w.alive).map((w) => w.id));
  return (s) => alive.has(s);
}

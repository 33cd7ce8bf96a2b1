// When the foreground looop runs inside the user's own tmux, a new flag pops up there,
// attached to the flagged worker's window — once per flag (remembered in the @looop_popped option).
import type { FleetCtx } from '../fleet/launch.ts';
import { OPT, type WindowRow } from '../fleet/windows.ts';
import { popupInUserTmux, setWindowOptions, userServerSocket } from '../tmux.ts';

export async function popNewFlags(ctx: FleetCtx, rows: WindowRow[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const user = userServerSocket(env);
  if (!user || user === ctx.paths.socket) return [];
  const popped: string[] = [];
  for (const r of rows) {
    if (r.role !== 'worker' || !r.alive || r.flag === null || !r.flagTs || r.popped === r.flagTs) continue;
    await setWindowOptions(r.server, r.windowId, { [OPT.popped]: r.flagTs });
    popupInUserTmux(user, r.server, r.windowId, `⚑ ${r.id}${r.flag ? `: ${r.flag}` : ''} (looop; detach: Ctrl-\\ Ctrl-\\)`);
    popped.push(r.id);
  }
  return popped;
}

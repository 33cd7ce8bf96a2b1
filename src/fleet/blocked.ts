// A worker stuck on its CLI's first-run, trust, permission or login dialog looks alive and quiet
// forever. Each time the beat reads the fleet, the screens of live, unflagged workers are read in ONE
// tmux call; a recognised dialog raises a flag naming it, and that flag clears once the dialog is gone.
import { captureMany, setWindowOptions } from '../tmux.ts';
import { detectBlocker } from './blockers.ts';
import { cleanNote, raiseFlag } from './flags.ts';
import { tryRecordInbox } from '../inbox/inbox.ts';
import type { FleetCtx } from './launch.ts';
import { OPT, stuckSeconds, type WindowRow } from './windows.ts';

export async function flagBlocked(ctx: FleetCtx, rows: WindowRow[]): Promise<WindowRow[]> {
  const watch = rows.filter((r) => r.role === 'worker' && r.alive && (r.flag === null || r.flagBy === 'blocker'));
  if (!watch.length) return rows;
  // Each server's panes in one call (this machine's, each host's), in the order of `watch`.
  const servers = [...new Set(watch.map((r) => r.server))];
  const got = await Promise.all(servers.map((s) => captureMany(s, watch.filter((r) => r.server === s).map((r) => r.paneId))));
  const screens = watch.map((r) => {
    const i = servers.indexOf(r.server);
    return got[i]![watch.filter((x) => x.server === r.server).indexOf(r)];
  });
  for (const [i, r] of watch.entries()) {
    const found = detectBlocker(screens[i] ?? '', r.runner);
    const note = found === null ? null : cleanNote(found);
    if (note && note !== r.flag) {
      await raiseFlag(ctx, r.id, note, 'blocker', r);
      Object.assign(r, { flag: note, flagBy: 'blocker', health: 'flagged' });
    } else if (!note && r.flagBy === 'blocker') {
      await setWindowOptions(r.server, r.windowId, { [OPT.flag]: null, [OPT.flagTs]: null, [OPT.flagBy]: null, [OPT.popped]: null });
      tryRecordInbox(ctx.paths, { kind: 'flag_cleared', title: `flag cleared on ${r.id} (the dialog is gone)`, message: '', worker: r.id });
      Object.assign(r, { flag: null, flagBy: '', health: r.idle_s >= stuckSeconds(ctx.env) ? 'stuck' : 'busy' });
    }
  }
  return rows;
}

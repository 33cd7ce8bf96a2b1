// Restarting, killing and reaping worker windows.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { InvalidInputError } from '../errors.ts';
import { killWindow, setWindowOptions, resizeWindow, listClients, messageClients } from '../tmux.ts';
import type { FleetCtx } from './launch.ts';
import { killTrees } from './procs.ts';
import { readRecord, updateRecord, markEnded } from './record.ts';
import { findWindow, OPT, readWindows, unreachableHosts, workerId, type WindowRow } from './windows.ts';
import { isRemote, type Remote } from '../tmux.ts';
import { sshScript } from './remote.ts';

/** TERM to the pane's process and all its descendants on the host; KILL to what is left after the grace. */
export function killRemote(r: Remote, pid: number, graceMs: number): Promise<string> {
  const tenths = Math.max(1, Math.ceil(graceMs / 100));
  const script = [
    `all=${pid}; new=${pid}`,
    'while [ -n "$new" ]; do next=; for q in $new; do next="$next $(pgrep -P "$q" 2>/dev/null)"; done; new=$(echo $next); all="$all $new"; done',
    'kill -TERM $all 2>/dev/null',
    'alive() { for q in $all; do kill -0 "$q" 2>/dev/null && return 0; done; return 1; }',
    `i=0; while [ $i -lt ${tenths} ] && alive; do sleep 0.1; i=$((i + 1)); done`,
    'kill -KILL $all 2>/dev/null; true',
    '',
  ].join('\n');
  return sshScript(r, script, graceMs + 10_000);
}

export { restartWorker } from './resume.ts';

/** Stops a worker for good: marked killed (the window and transcript stay), its whole process tree ended. */
export async function killWorker(ctx: FleetCtx, id: string, reason = 'killed'): Promise<WindowRow | null> {
  // A lost worker has no window: killing it only tells looop to stop listing it as lost.
  const rec = readRecord(ctx.paths, workerId(id));
  const rows = await readWindows(ctx.paths.socket);
  if (rec?.host && unreachableHosts().has(rec.host) && !rows.some((r) => r.id === id)) {
    throw new InvalidInputError(`host ${rec.host} does not answer; "${id}" cannot be killed until it does`);
  }
  if (rec?.live && !rows.some((r) => r.id === id)) {
    updateRecord(ctx.paths, id, { live: false });
    return null;
  }
  const row = await findWindow(ctx.paths.socket, id);
  await killRows(ctx, [row], reason);
  // Killed on purpose: not lost if the server dies later (resume still works).
  updateRecord(ctx.paths, id, { live: false });
  return row;
}

/** Marks first (so a beat never sees a half-killed worker as alive), then signals every tree at once. */
export async function killRows(ctx: FleetCtx, rows: WindowRow[], reason: string, graceMs = 3000): Promise<number[]> {
  const live = rows.filter((r) => r.pid !== null);
  markEnded(ctx.paths, rows.map((r) => r.id));
  await Promise.all(live.map((r) => setWindowOptions(r.server, r.windowId, { [OPT.killed]: reason.replace(/[\x00-\x1f\t]/g, ' ') || 'killed', [OPT.flag]: null })));
  // A pid on another host means nothing here: those trees are ended there, through its connection.
  const far = live.filter((r) => isRemote(r.server));
  const remote = Promise.all(far.map((r) => killRemote(r.server as Remote, r.pid!, graceMs).catch(() => undefined)));
  const pids = await killTrees(live.filter((r) => !isRemote(r.server)).map((r) => r.pid!), graceMs);
  await remote;
  return pids;
}

const finished = (r: WindowRow) => r.role === 'worker' && !r.alive && r.pid === null;

/** Removes finished windows now (`looop prune`); transcripts stay. */
export async function pruneFinished(ctx: FleetCtx): Promise<string[]> {
  const gone: string[] = [];
  for (const r of (await readWindows(ctx.paths.socket)).filter(finished)) {
    await killWindow(r.server, r.windowId);
    updateRecord(ctx.paths, r.id, { live: false });
    gone.push(r.id);
  }
  markEnded(ctx.paths, gone);
  return gone;
}

function newestMtime(dir: string): number {
  let newest = 0;
  try {
    for (const f of readdirSync(dir)) newest = Math.max(newest, statSync(`${dir}/${f}`).mtimeMs);
  } catch {
    return Date.now();
  }
  return newest;
}

/**
 * Housekeeping: finished windows idle longer than ttl are removed with their transcripts; transcripts
 * of sessions without a window (e.g. after the server died) go once they are older than ttl.
 */
export async function reapFinished(ctx: FleetCtx, ttlS: number): Promise<string[]> {
  const rows = await readWindows(ctx.paths.socket);
  const reaped: string[] = [];
  for (const r of rows.filter((x) => finished(x) && x.idle_s >= ttlS)) {
    await killWindow(r.server, r.windowId);
    rmSync(ctx.paths.session(r.id), { recursive: true, force: true });
    reaped.push(r.id);
  }
  const known = new Set(rows.map((r) => r.id));
  let dirs: string[] = [];
  try {
    dirs = readdirSync(ctx.paths.sessions);
  } catch {
    return reaped;
  }
  for (const id of dirs) {
    // A lost worker stays resumable until resumed or killed, however long the machine was off.
    if (id === 'pulse' || known.has(id) || id.startsWith('.') || readRecord(ctx.paths, id)?.live) continue;
    if (Date.now() - newestMtime(ctx.paths.session(id)) < ttlS * 1000) continue;
    rmSync(ctx.paths.session(id), { recursive: true, force: true });
    reaped.push(id);
  }
  return reaped;
}

export async function resizeWorker(ctx: FleetCtx, id: string, size: string): Promise<void> {
  const m = size.match(/^(\d{1,4})x(\d{1,4})$/);
  if (!m || Number(m[1]) < 10 || Number(m[2]) < 3) throw new InvalidInputError(`size "${size}" should look like 200x50 (COLSxROWS, at least 10x3)`);
  const row = await findWindow(ctx.paths.socket, id);
  await resizeWindow(row.server, row.windowId, Number(m[1]), Number(m[2]));
}

/** A message on every attached client's status line; nothing to do when nobody is attached or the server is down. */
export async function notifyClients(ctx: FleetCtx, message: string): Promise<void> {
  const clients = await listClients(ctx.paths.socket);
  await messageClients(ctx.paths.socket, clients.map((c) => c.name), message.replace(/[\x00-\x1f]/g, ' '));
}

// Bringing a worker back from looop's own record: `resume` continues its conversation, `restart` runs its
// command afresh. Both work with the window gone (server died, machine rebooted): a new one is opened.
import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { killTrees } from './procs.ts';
import { openLogged, respawnLogged, type FleetCtx } from './launch.ts';
import { listRecords, lostWorkers, readRecord, updateRecord, type WorkerRecord } from './record.ts';
import { prepareHost, readHostState, remoteOf, remoteSession, writeRemoteFiles } from './remote.ts';
import { openRemote, remoteLaunchFiles } from './remote-launch.ts';
import { killRemote } from './control.ts';
import { readWindows, unreachableHosts, workerId } from './windows.ts';

/** A worker's directory: must exist and be a directory; relative = relative to the data dir. */
export function workerCwd(root: string, dir: string | undefined): string {
  if (dir === undefined || dir === '') return root;
  const abs = resolve(root, dir);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new InvalidInputError(`cwd "${dir}": no such directory (${abs})`);
  }
  if (!isDir) throw new InvalidInputError(`cwd "${dir}": not a directory (${abs})`);
  return abs;
}

function recordOf(ctx: FleetCtx, id: string): WorkerRecord {
  workerId(id);
  const rec = readRecord(ctx.paths, id);
  if (!rec) throw new NotFoundError(`no worker "${id}" on this profile (see \`looop ls\`)`);
  return rec;
}

/** A fresh run gets a fresh conversation: the old id (also inside pi's session file name) is swapped. */
export function freshConversation(rec: WorkerRecord, uuid: string): Pick<WorkerRecord, 'command' | 'resume' | 'session_id' | 'session_file'> {
  const old = rec.session_id;
  const swap = (s: string | undefined) => (s !== undefined && old ? s.split(old).join(uuid) : s);
  return { command: swap(rec.command)!, resume: swap(rec.resume), session_id: old ? uuid : undefined, session_file: swap(rec.session_file) };
}

async function relaunch(ctx: FleetCtx, rec: WorkerRecord, command: string, mode: 'resume' | 'restart'): Promise<void> {
  if (rec.host) return relaunchRemote(ctx, rec, rec.host, command, mode);
  const cwd = workerCwd(ctx.paths.root, rec.cwd);
  const row = (await readWindows(ctx.paths.socket)).find((r) => r.id === rec.id && r.role === 'worker');
  if (row?.alive && mode === 'resume') throw running(rec.id);
  // A new life of the window: the last one's events (its SessionEnd) and running cost must not speak for it.
  for (const f of [ctx.paths.workerEvents(rec.id), ctx.paths.workerStatus(rec.id), ctx.paths.workerSpend(rec.id)]) rmSync(f, { force: true });
  if (row) {
    if (row.alive) await killTrees(row.pid ? [row.pid] : [], 2000);
    await respawnLogged(ctx, row, command, cwd);
  } else {
    await openLogged(ctx, { id: rec.id, role: 'worker', command, runner: rec.runner, cwd });
  }
}

const running = (id: string) => new InvalidInputError(`worker "${id}" is running; nothing to resume (\`looop restart ${id}\` starts it afresh)`);

/** The same on the worker's host: its window there (or a new one), its directory and transcript there. */
async function relaunchRemote(ctx: FleetCtx, rec: WorkerRecord, host: string, command: string, mode: 'resume' | 'restart'): Promise<void> {
  const known = readHostState(ctx.paths, host);
  if (!known) throw new InvalidInputError(`worker "${rec.id}" ran on host ${host}, which was never set up on this profile`);
  const rows = await readWindows(ctx.paths.socket);
  // A host that does not answer says nothing about its worker: refused, and the worker is kept.
  if (unreachableHosts().has(host)) throw new InvalidInputError(`host ${host} does not answer; "${rec.id}" cannot be ${mode === 'resume' ? 'resumed' : 'restarted'} until it does`);
  const row = rows.find((r) => r.id === rec.id && r.role === 'worker' && r.host === host);
  if (row?.alive && mode === 'resume') throw running(rec.id);
  // looop's folder there may have been cleaned away since: put back (conf, helper, extension), never assumed.
  const state = await prepareHost(ctx.paths, known);
  for (const f of [ctx.paths.workerEvents(rec.id), ctx.paths.workerStatus(rec.id), ctx.paths.workerSpend(rec.id)]) rmSync(f, { force: true });
  const remote = remoteOf(state);
  const dir = remoteSession(state, rec.id);
  const { envFile, files } = remoteLaunchFiles(ctx, state, rec.id);
  const log = `${dir}/output.log`;
  const [logStart = 0] = await writeRemoteFiles(remote, files, [log]);
  if (row?.alive && row.pid) await killRemote(remote, row.pid, 2000);
  await openRemote(remote, { id: rec.id, command, runner: rec.runner, cwd: rec.cwd, envFile, log, logStart }, row);
}

/** Continues the worker's own conversation in its own directory; also for a lost worker (new window). */
export async function resumeWorker(ctx: FleetCtx, id: string): Promise<void> {
  const rec = recordOf(ctx, id);
  if (!rec.resume) throw new InvalidInputError(`worker "${id}" (runner "${rec.runner}") has no resume command; \`looop restart ${id}\` starts it afresh`);
  await relaunch(ctx, rec, rec.resume, 'resume');
  updateRecord(ctx.paths, id, { live: true, resumed_at: Math.floor(Date.now() / 1000) });
}

/** Runs the worker's recorded command again, as a new conversation (never the tmux option a worker could rewrite). */
export async function restartWorker(ctx: FleetCtx, id: string): Promise<void> {
  const rec = recordOf(ctx, id);
  const next = { ...rec, ...freshConversation(rec, randomUUID()), live: true, started_at: Math.floor(Date.now() / 1000) };
  await relaunch(ctx, rec, next.command, 'restart');
  updateRecord(ctx.paths, id, { ...next, resumed_at: undefined });
}

/** Resumes every lost worker; one failure does not stop the others. */
export async function resumeLost(ctx: FleetCtx): Promise<Array<{ id: string; error?: string }>> {
  const rows = await readWindows(ctx.paths.socket);
  const out: Array<{ id: string; error?: string }> = [];
  // A worker on a host that does not answer is unknown, not lost: it is left alone.
  const away = unreachableHosts();
  for (const rec of lostWorkers(listRecords(ctx.paths), rows).filter((r) => !r.host || !away.has(r.host))) {
    try {
      await resumeWorker(ctx, rec.id);
      out.push({ id: rec.id });
    } catch (err) {
      out.push({ id: rec.id, error: (err as Error).message });
    }
  }
  return out;
}

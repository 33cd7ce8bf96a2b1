// Reads everything a worker's state is derived from (tmux rows, looop's records, event files,
// screens) and derives it; with `write`, also raises/clears the auto-flag of an asking worker and
// marks ended workers' records. The pulse calls it every second, so screens and event files are
// cached and re-read only when they changed.
import { readdirSync, statSync } from 'node:fs';
import { byId } from '../ids.ts';
import { writeFileAtomic } from '../atomic.ts';
import type { Ctx } from '../context.ts';
import { bookWorkerSpend } from '../cost/worker-spend.ts';
import type { Paths } from '../paths.ts';
import { captureMany, setWindowOptions } from '../tmux.ts';
import { cleanNote, raiseFlag } from './flags.ts';
import type { FleetCtx } from './launch.ts';
import { answerLeaseRequests, HOST_EVENTS, HOST_STATUS } from './remote.ts';
import { listRecords, lostWorkers, markEnded, updateRecord, type WorkerRecord } from './record.ts';
import { tryRecordInbox } from '../inbox/inbox.ts';
import { deriveState, parseEvents, type Perceived, type WorkerEvent } from './state.ts';
import { readFrom } from './transcript.ts';
import type { WorkerInfo } from './types.ts';
import { info, OPT, stuckSeconds, unreachableHosts, type WindowRow } from './windows.ts';
import { readDone, readVerify, startVerifies, verifyDue, verifyInfo } from './verify.ts';

export interface Seen {
  id: string;
  row: WindowRow | null;
  record: WorkerRecord | null;
  events: WorkerEvent[];
  screen: string | null;
  p: Perceived;
  info: WorkerInfo & { runner: string };
}

const EVENTS_TAIL = 64 * 1024;
const eventCache = new Map<string, { size: number; mtime: number; events: WorkerEvent[] }>();
const screenCache = new Map<string, { at: number; text: string }>();

/** The newest events of a worker (the file's tail), re-parsed only when the file changed. */
export function readEvents(paths: Paths, id: string): WorkerEvent[] {
  const file = paths.workerEvents(id);
  let st: { size: number; mtimeMs: number };
  try {
    st = statSync(file);
  } catch {
    eventCache.delete(file);
    return [];
  }
  const hit = eventCache.get(file);
  if (hit && hit.size === st.size && hit.mtime === st.mtimeMs) return hit.events;
  const { text } = readFrom(file, Math.max(0, st.size - EVENTS_TAIL));
  let body = text.toString('utf8');
  if (st.size > EVENTS_TAIL) body = body.slice(body.indexOf('\n') + 1);
  const events = parseEvents(body);
  eventCache.set(file, { size: st.size, mtime: st.mtimeMs, events });
  return events;
}

const hostEventCache = new Map<string, { text: string; skew: number; events: WorkerEvent[] }>();

/** A worker on another host: its events are the tail read with the host's listing, re-parsed only when it changed. */
function hostEvents(row: WindowRow): WorkerEvent[] {
  const key = `${row.host}/${row.id}`;
  const text = row.tails?.[HOST_EVENTS];
  if (text === undefined) {
    hostEventCache.delete(key);
    return [];
  }
  const skew = row.skew ?? 0;
  const hit = hostEventCache.get(key);
  if (hit?.text === text && hit.skew === skew) return hit.events;
  // Stamped by the host's clock: read in ours.
  const events = parseEvents(text).map((e) => (skew ? { ...e, ts: e.ts + skew } : e));
  if (hostEventCache.size > 256) hostEventCache.clear();
  hostEventCache.set(key, { text, skew, events });
  return events;
}

const statusMirrored = new Map<string, string>();

/** A host worker's status line (its running cost), kept in its local session folder where spend is booked from. */
function mirrorStatus(paths: Paths, row: WindowRow): void {
  const text = row.tails?.[HOST_STATUS];
  if (!text?.trim() || statusMirrored.get(row.id) === text) return;
  try {
    writeFileAtomic(paths.workerStatus(row.id), text, 0o600);
    statusMirrored.set(row.id, text);
  } catch {
    // spend is best effort; the next reading tries again
  }
}

let recordsSeen: { key: string; records: WorkerRecord[] } | null = null;

/** The records, re-read only when one changed (the pulse asks every second: stats, not parses). */
function cachedRecords(paths: Paths): WorkerRecord[] {
  let key = '';
  try {
    for (const id of readdirSync(paths.sessions).sort()) key += `${id}:${statSync(paths.workerRecord(id), { throwIfNoEntry: false })?.mtimeMs ?? 0}|`;
  } catch {
    return [];
  }
  if (recordsSeen?.key === key) return recordsSeen.records;
  recordsSeen = { key, records: listRecords(paths) };
  return recordsSeen.records;
}

export function quietSeconds(env: NodeJS.ProcessEnv): number {
  const n = Number(env.LOOOP_WORKER_QUIET_SECS);
  return Number.isFinite(n) && n > 0 ? n : 3;
}

/** Screens of live workers in one tmux call; a pane whose output did not change since its last capture is not read again. */
async function screens(rows: WindowRow[], now: number): Promise<Map<string, string>> {
  const key = (r: WindowRow) => `${r.host ?? ''}/${r.paneId}`;
  // A host's screens came with its listing.
  for (const r of rows) if (r.screen !== undefined) screenCache.set(key(r), { at: now, text: r.screen });
  const need = rows.filter((r) => {
    if (r.screen !== undefined) return false;
    const hit = screenCache.get(key(r));
    return !hit || hit.at <= now - r.idle_s || now - hit.at > 30;
  });
  // One capture call per server (the local one and each host), in parallel.
  const byServer = new Map<WindowRow['server'], WindowRow[]>();
  for (const r of need) byServer.set(r.server, [...(byServer.get(r.server) ?? []), r]);
  await Promise.all([...byServer].map(async ([server, list]) => {
    const got = await captureMany(server, list.map((r) => r.paneId)).catch(() => null);
    list.forEach((r, i) => {
      if (got) screenCache.set(key(r), { at: now, text: got[i] ?? '' });
    });
  }));
  const out = new Map<string, string>();
  for (const r of rows) {
    const hit = screenCache.get(key(r));
    if (hit) out.set(r.id, hit.text);
  }
  if (screenCache.size > 4 * rows.length + 16) screenCache.clear();
  return out;
}

export async function perceive(ctx: Pick<Ctx, 'paths' | 'env'>, rows: WindowRow[], opts: { write: boolean; now?: number }): Promise<Seen[]> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const clock = { now, stuckS: stuckSeconds(ctx.env), quietS: quietSeconds(ctx.env) };
  const workers = rows.filter((r) => r.role === 'worker');
  const records = new Map(cachedRecords(ctx.paths).map((r) => [r.id, r]));
  const shown = await screens(workers.filter((r) => r.alive), now);
  if (opts.write) await answerLeaseRequests(ctx, workers).catch(() => undefined);
  const out: Seen[] = [];
  const ended: string[] = [];
  const due: Array<{ id: string; run: number }> = [];
  for (const row of workers) {
    const record = records.get(row.id) ?? null;
    const events = row.host ? hostEvents(row) : readEvents(ctx.paths, row.id);
    const screen = shown.get(row.id) ?? null;
    const p = deriveState(row, events, screen === null ? null : { text: screen }, record, clock);
    if (opts.write) {
      await autoFlag(ctx, row, p);
      // pi books its own rows here; on another host it keeps a running cost like claude's status line.
      if (record?.cli === 'claude' || (row.host && record?.cli === 'pi')) {
        if (row.host) mirrorStatus(ctx.paths, row);
        bookSpend(ctx.paths, row.id, row.runner);
      }
    }
    if (!row.alive && record?.live) ended.push(row.id);
    const shownInfo = info(row, p);
    if (record?.verify) {
      const result = readVerify(ctx.paths, row.id);
      // A result of an earlier run of this window (before a restart or resume) is not this run's.
      const v = result?.run === row.startedAt ? verifyInfo(result) : undefined;
      if (v) shownInfo.verify = v;
      if (opts.write && verifyDue(record, row.startedAt, p, events, result, readDone(ctx.paths, row.id))) due.push({ id: row.id, run: row.startedAt });
    }
    // Without a pulse nobody raised the auto-flag yet: a listing still says what it asks.
    if (shownInfo.flag === null && p.state === 'asking' && p.ask) shownInfo.flag = cleanNote(p.ask);
    out.push({ id: row.id, row, record, events, screen, p, info: shownInfo });
  }
  // Whoever sees a worker done first runs its verify, in the background of this process.
  if (due.length) startVerifies(ctx, due);
  // looop's own record, not the user's state: even a read-only listing keeps it true.
  if (ended.length) markEnded(ctx.paths, ended);
  const away = unreachableHosts();
  for (const record of lostWorkers([...records.values()], workers)) {
    // A host that did not answer says nothing about its workers: unknown, never lost or exited.
    if (record.host && away.has(record.host)) {
      const since = record.resumed_at ?? record.started_at;
      const unknown: WorkerInfo & { runner: string } = {
        id: record.id, state: 'unknown', source: 'record', alive: false, exit_code: null, flag: null, age_s: Math.max(0, now - record.started_at),
        idle_s: Math.max(0, now - since), pid: null, runner: record.runner, cwd: record.cwd, host: record.host, said: `host ${record.host} unreachable`,
      };
      out.push({ id: record.id, row: null, record, events: [], screen: null, p: { state: 'unknown', source: 'record', since, why: `host ${record.host} did not answer` }, info: unknown });
      continue;
    }
    const events = readEvents(ctx.paths, record.id);
    const p = deriveState(null, events, null, record, clock);
    if (opts.write) noteLost(ctx.paths, record, p.since);
    const lost: WorkerInfo & { runner: string } = {
      id: record.id, state: p.state, source: p.source, alive: false, exit_code: null, flag: null,
      age_s: Math.max(0, now - record.started_at), idle_s: Math.max(0, now - p.since), pid: null, runner: record.runner, since: p.since, cwd: record.cwd,
    };
    const v = record.verify ? verifyInfo(readVerify(ctx.paths, record.id)) : undefined;
    if (v) lost.verify = v;
    out.push({ id: record.id, row: null, record, events, screen: null, p, info: lost });
  }
  return out.sort(byId);
}

const statusSeen = new Map<string, number>();

/** Books a claude worker's spend when its status file changed (errors never stop a reading). */
function bookSpend(paths: Paths, id: string, runner: string): void {
  try {
    const m = statSync(paths.workerStatus(id)).mtimeMs;
    if (statusSeen.get(id) === m) return;
    statusSeen.set(id, m);
    bookWorkerSpend(paths, id, runner);
  } catch {
    // no status line yet
  }
}

/** An asking worker gets a ⚑ quoting what it asks (by "blocker"); that flag goes once it no longer asks. */
async function autoFlag(ctx: Pick<Ctx, 'paths' | 'env'>, row: WindowRow, p: Perceived): Promise<void> {
  if (!row.alive || (row.flag !== null && row.flagBy !== 'blocker')) return;
  if (p.state === 'asking' && p.ask) {
    const note = cleanNote(p.ask);
    if (note === row.flag) return;
    await raiseFlag(ctx as FleetCtx, row.id, note, 'blocker', row).catch(() => undefined);
    Object.assign(row, { flag: note, flagBy: 'blocker' });
  } else if (p.state !== 'asking' && row.flagBy === 'blocker') {
    await setWindowOptions(row.server, row.windowId, { [OPT.flag]: null, [OPT.flagTs]: null, [OPT.flagBy]: null, [OPT.popped]: null }).catch(() => undefined);
    tryRecordInbox(ctx.paths, { kind: 'flag_cleared', title: `flag cleared on ${row.id} (answered)`, message: '', worker: row.id });
    Object.assign(row, { flag: null, flagBy: '' });
  }
}

/** A lost worker is one inbox record per loss (a resume starts a new life that may be lost again). */
function noteLost(paths: Paths, record: WorkerRecord, since: number): void {
  const life = record.resumed_at ?? record.started_at;
  if (record.lost_noted_at !== undefined && record.lost_noted_at >= life) return;
  tryRecordInbox(paths, { kind: 'lost', title: `${record.id} was lost (its tmux window is gone)`, message: `looop resume ${record.id} continues its conversation; looop resume --lost brings back every lost worker`, worker: record.id }, new Date(since * 1000));
  updateRecord(paths, record.id, { lost_noted_at: Math.floor(Date.now() / 1000) });
}

/** The fleet as the beat, `ls` and `status` see it: every worker with its state, lost ones included. */
export async function perceiveInfos(ctx: Pick<Ctx, 'paths' | 'env'>, rows: WindowRow[], opts: { write: boolean }): Promise<Array<WorkerInfo & { runner: string }>> {
  return (await perceive(ctx, rows, opts)).map((s) => s.info);
}

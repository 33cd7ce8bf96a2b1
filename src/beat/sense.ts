// SENSE: run every sensors/*.sh concurrently (own process group, timeout, size cap), publish each reading atomically.
import { readDataFile } from '../safe-read.ts';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readJsonOr, writeScratch } from '../atomic.ts';
import { idProblem } from '../ids.ts';
import { runCaptured } from '../proc/group.ts';
import type { Paths } from '../paths.ts';
import { isPending, readApprovals, type Approvals } from '../sensor-approval.ts';
import { envTunable } from '../tunables.ts';

export interface Reading {
  name: string;
  raw: string;
  ran: boolean;
  failed: boolean;
  reason?: string;
}

export interface SenseLimits {
  timeoutMs: number;
  maxBytes: number;
}

export function senseLimits(env: NodeJS.ProcessEnv): SenseLimits {
  return { timeoutMs: envTunable(env, 'LOOOP_SENSOR_TIMEOUT') * 1000, maxBytes: envTunable(env, 'LOOOP_SENSOR_MAX_BYTES') };
}

const HEADER = /^#\s*looop:interval=(\d+)\s*$/;

export function intervalHeader(script: string): number | null {
  const lines = script.split('\n', 20);
  for (const line of lines) {
    const m = line.trim().match(HEADER);
    if (m) return Number(m[1]);
  }
  return null;
}

export function failureReading(exitCode: number, stderr: string, extra: Record<string, unknown> = {}): string {
  const tail = stderr.length > 2000 ? stderr.slice(-2000) : stderr;
  return JSON.stringify({ signal: { error: true, exit_code: exitCode, ...extra }, detail: { stderr: tail } });
}

interface SensorFile {
  name: string;
  path: string;
  problem?: string;
}

/** User sensors: regular *.sh files with a valid name; sys-* names belong to looop. */
export function listSensors(p: Paths): SensorFile[] {
  let names: string[] = [];
  try {
    names = readdirSync(p.sensors);
  } catch {
    return [];
  }
  const out: SensorFile[] = [];
  for (const file of names.sort()) {
    if (!file.endsWith('.sh')) continue;
    const name = file.slice(0, -3);
    const path = p.sensor(name);
    const bad = idProblem(name);
    if (bad || name.startsWith('sys-')) {
      out.push({ name, path, problem: bad ? `sensor name ${bad}` : 'sys-* names are reserved for looop' });
      continue;
    }
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out.push({ name, path, problem: 'is a symlink (refused: sensors must live in the data dir)' });
      else if (st.isFile()) out.push({ name, path });
    } catch {
      // vanished between readdir and lstat
    }
  }
  return out;
}

type Meta = Record<string, { sha: string; ts: string }>;

async function senseOne(s: SensorFile, p: Paths, env: NodeJS.ProcessEnv, lim: SenseLimits, meta: Meta, now: Date, write: boolean, pending?: Approvals): Promise<Reading> {
  if (s.problem) {
    const raw = failureReading(1, s.problem, { refused: true });
    if (write) writeScratch(p.snapshot(s.name), raw + '\n');
    return { name: s.name, raw, ran: false, failed: true, reason: s.problem };
  }
  const read = readDataFile(s.path);
  if (!read.ok) {
    const raw = failureReading(1, `sensors/${s.name}.sh ${read.problem}`);
    return { name: s.name, raw, ran: false, failed: true, reason: `sensors/${s.name}.sh ${read.problem}` };
  }
  const script = read.text;
  if (pending && isPending(pending, s.name, script)) {
    const raw = JSON.stringify({ signal: { pending_approval: true }, detail: { how: `looop approve sensor ${s.name}` } });
    if (write) writeScratch(p.snapshot(s.name), raw + '\n');
    return { name: s.name, raw, ran: false, failed: false, reason: 'pending approval' };
  }
  const sha = createHash('sha1').update(script).digest('hex');
  const every = intervalHeader(script);
  const prev = meta[s.name];
  if (every !== null && prev && prev.sha === sha && now.getTime() - Date.parse(prev.ts) < every * 1000) {
    try {
      const raw = readFileSync(p.snapshot(s.name), 'utf8');
      return { name: s.name, raw, ran: false, failed: false };
    } catch {
      // no reading on disk: run it
    }
  }
  // The guard kills the sensor's group if looop dies mid-sense; the sensor itself runs as `bash <path>`.
  const r = await runCaptured({ script: 'exec bash "$0"', args: [s.path], cwd: p.root, env, timeoutMs: lim.timeoutMs, maxBytes: lim.maxBytes });
  let raw: string;
  let failed = false;
  let reason: string | undefined;
  if (r.timedOut) {
    raw = failureReading(124, r.stderr, { timed_out: true });
    failed = true;
    reason = `timed out after ${lim.timeoutMs / 1000}s (killed)`;
  } else if (r.code !== 0) {
    raw = failureReading(r.code, r.stderr);
    failed = true;
    reason = `exited ${r.code}`;
  } else if (r.bytes > lim.maxBytes) {
    raw = JSON.stringify({ signal: { error: 'too-large', cap: lim.maxBytes }, detail: { bytes: r.bytes } });
    reason = `printed ${r.bytes} bytes (cap ${lim.maxBytes})`;
  } else {
    raw = r.stdout;
  }
  if (write) {
    writeScratch(p.snapshot(s.name), raw.endsWith('\n') ? raw : raw + '\n');
    if (r.stderr.trim()) writeScratch(p.snapshotErr(s.name), r.stderr);
    else rmSync(p.snapshotErr(s.name), { force: true });
    meta[s.name] = { sha, ts: now.toISOString() };
  }
  return { name: s.name, raw, ran: true, failed, reason };
}

/** Removes readings of sensors that no longer exist (system readings are re-made by the beat). */
function wipeGone(p: Paths, keep: Set<string>, meta: Meta): void {
  let files: string[] = [];
  try {
    files = readdirSync(p.snapshots);
  } catch {
    return;
  }
  for (const f of files) {
    const m = f.match(/^sensor-(.+)\.(json|err)$/);
    if (!m || m[1]!.startsWith('sys-') || keep.has(m[1]!)) continue;
    rmSync(`${p.snapshots}/${f}`, { force: true });
    delete meta[m[1]!];
  }
}

/** Runs every sensor; with write=false (dry run) nothing on disk changes. */
export async function senseAll(p: Paths, env: NodeJS.ProcessEnv, lim: SenseLimits, now: Date, write = true): Promise<Reading[]> {
  const sensors = listSensors(p);
  const meta = readJsonOr<Meta>(p.snapshotMeta, {});
  if (write) wipeGone(p, new Set(sensors.map((s) => s.name)), meta);
  const approvals = readApprovals(p);
  const readings = await Promise.all(sensors.map((s) => senseOne(s, p, env, lim, meta, now, write, approvals)));
  if (write) writeScratch(p.snapshotMeta, JSON.stringify(meta) + '\n');
  return readings;
}

/** Publishes a reading looop makes itself (sys-sessions, sys-claims). */
export function publishSystemReading(p: Paths, name: string, value: unknown, write = true): Reading {
  const raw = JSON.stringify(value);
  if (write) writeScratch(p.snapshot(name), raw + '\n');
  return { name, raw, ran: true, failed: false };
}

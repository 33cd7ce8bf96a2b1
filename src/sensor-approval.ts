// Code the decider wrote runs only after the person approves it: write_sensor records the hash of
// what it wrote as pending; a sensor whose content has a pending hash is not run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readJsonOr, writeJsonAtomic } from './atomic.ts';
import { appendJournal } from './beat/journal.ts';
import type { Ctx } from './context.ts';
import { LooopError } from './errors.ts';
import { idProblem } from './ids.ts';
import type { Paths } from './paths.ts';

export interface Approvals {
  pending: Record<string, string>;
  approved: Record<string, string>;
}

export const sensorHash = (script: string | Buffer) => createHash('sha256').update(script).digest('hex');

export function readApprovals(p: Paths): Approvals {
  const a = readJsonOr<Partial<Approvals> | null>(p.approvals, null);
  const rec = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.assign(Object.create(null), v) as Record<string, string> : {});
  return { pending: rec(a?.pending), approved: rec(a?.approved) };
}

/** write_sensor: what the decider wrote waits for the person. */
export function markPending(p: Paths, name: string, script: string): void {
  const a = readApprovals(p);
  a.pending[name] = sensorHash(script);
  delete a.approved[name];
  writeJsonAtomic(p.approvals, a);
}

/** True when this content is what the decider wrote and the person has not approved it. */
export function isPending(a: Approvals, name: string, script: string): boolean {
  return a.pending[name] === sensorHash(script);
}

export function pendingSensors(p: Paths): string[] {
  const a = readApprovals(p);
  return Object.keys(a.pending).filter((name) => {
    try {
      return isPending(a, name, readFileSync(p.sensor(name), 'utf8'));
    } catch {
      return false;
    }
  }).sort();
}

export function approveSensor(ctx: Ctx, name: string, by: string, now = new Date()): string {
  const bad = idProblem(name);
  if (bad) throw new LooopError(`sensor name ${JSON.stringify(name)} ${bad}`);
  let script: string;
  try {
    script = readFileSync(ctx.paths.sensor(name), 'utf8');
  } catch {
    throw new LooopError(`no sensor ${name} (sensors/${name}.sh)`);
  }
  const a = readApprovals(ctx.paths);
  if (!(name in a.pending)) throw new LooopError(`sensor ${name} is not waiting for approval`);
  const hash = sensorHash(script);
  delete a.pending[name];
  a.approved[name] = hash;
  writeJsonAtomic(ctx.paths.approvals, a);
  appendJournal(ctx.paths, `${by} approved sensor ${name} (sha256 ${hash.slice(0, 12)})`, now);
  return hash;
}

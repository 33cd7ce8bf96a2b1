// Taking and dropping one lease, atomically under the claims lock.
import { rmSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic.ts';
import type { Ctx } from '../context.ts';
import { LooopError } from '../errors.ts';
import { checkId } from '../ids.ts';
import { withClaimsLock } from './lock.ts';
import { isExpired, readClaim, toInfo, type ClaimFile, type ClaimInfo } from './read.ts';

/** Another live session holds the lease (exit 1; the message names the holder). */
export class ClaimHeldError extends LooopError {
  constructor(readonly holder: ClaimInfo, verb: string) {
    const since = holder.ts.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const note = holder.note ? `, note: ${holder.note}` : '';
    const ttl = holder.expires_at ? `, expires ${holder.expires_at}` : '';
    super(`cannot ${verb} "${holder.name}": held by session ${holder.session} since ${since}${note}${ttl}`);
  }
}

export interface TakeOptions {
  name: string;
  session: string;
  external: boolean;
  ttlS?: number;
  note?: string;
  now?: Date;
  /** Asked only when another unexpired, non-external session holds the lease. */
  isAlive: (session: string) => boolean | Promise<boolean>;
}

export type TakeOutcome =
  | { outcome: 'taken'; claim: ClaimInfo }
  | { outcome: 'renewed'; claim: ClaimInfo }
  | { outcome: 'took_over'; claim: ClaimInfo; previous: ClaimInfo; reason: string };

export async function takeClaim(ctx: Ctx, o: TakeOptions): Promise<TakeOutcome> {
  checkId('claim name', o.name, { allowPulse: true });
  const now = o.now ?? new Date();
  return withClaimsLock(ctx, async () => {
    const held = readClaim(ctx, o.name);
    const fresh: ClaimFile = { session: o.session, name: o.name, ts: now.toISOString() };
    if (typeof held === 'object' && held.session === o.session) {
      // Renewing keeps the old TTL and note unless new ones are given.
      const ttl = o.ttlS ?? held.ttl_s;
      const note = o.note ?? held.note;
      if (ttl) fresh.ttl_s = ttl;
      if (note) fresh.note = note;
      if (o.external && held.external) fresh.external = true;
      writeJsonAtomic(ctx.paths.claim(o.name), fresh);
      return { outcome: 'renewed', claim: toInfo(fresh) };
    }
    if (o.ttlS) fresh.ttl_s = o.ttlS;
    if (o.note) fresh.note = o.note;
    if (o.external) fresh.external = true;
    let reason = '';
    if (typeof held === 'object') {
      if (isExpired(held, now)) reason = `its lease expired (ttl ${held.ttl_s}s)`;
      else if (!held.external && !(await o.isAlive(held.session))) reason = `session ${held.session} is not alive`;
      else throw new ClaimHeldError(toInfo(held), 'claim');
    }
    writeJsonAtomic(ctx.paths.claim(o.name), fresh);
    if (typeof held === 'object') return { outcome: 'took_over', claim: toInfo(fresh), previous: toInfo(held), reason };
    return { outcome: 'taken', claim: toInfo(fresh) };
  });
}

export type ReleaseOutcome = { released: true; claim: ClaimInfo } | { released: false };

/** Drops a lease you hold; `force` drops anyone's (a human unwedging a task). */
export async function releaseClaim(ctx: Ctx, o: { name: string; session: string | null; force?: boolean }): Promise<ReleaseOutcome> {
  checkId('claim name', o.name, { allowPulse: true });
  return withClaimsLock(ctx, () => {
    const held = readClaim(ctx, o.name);
    if (held === 'missing') return { released: false };
    if (typeof held === 'object' && held.session !== o.session && !o.force) throw new ClaimHeldError(toInfo(held), 'release');
    rmSync(ctx.paths.claim(o.name), { force: true });
    const info: ClaimInfo = typeof held === 'object' ? toInfo(held) : { name: o.name, session: '?', ts: '', ttl_s: null, note: null, external: false, expires_at: null };
    return { released: true, claim: info };
  });
}

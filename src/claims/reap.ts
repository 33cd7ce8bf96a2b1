// The beat's housekeeping: drop leases whose owner died, whose TTL ran out, or whose file is unreadable.
import { rmSync } from 'node:fs';
import type { Ctx } from '../context.ts';
import { withClaimsLock } from './lock.ts';
import { claimNames, isExpired, readClaim } from './read.ts';

export interface ReapedClaim {
  name: string;
  session: string;
  reason: string;
}

/**
 * `isAlive` comes from the fleet (live worker ids). External leases (taken with --session from a
 * plain shell) have no window to vouch for them, so only their TTL ends them.
 */
export async function reapClaims(ctx: Ctx, isAlive: (session: string) => boolean, now: Date): Promise<ReapedClaim[]> {
  if (claimNames(ctx).length === 0) return [];
  return withClaimsLock(ctx, () => {
    const reaped: ReapedClaim[] = [];
    for (const name of claimNames(ctx)) {
      const c = readClaim(ctx, name);
      let r: ReapedClaim | null = null;
      if (c === 'missing') continue;
      if (c === 'corrupt') r = { name, session: '?', reason: 'unreadable claim file' };
      else if (isExpired(c, now)) r = { name, session: c.session, reason: `expired (ttl ${c.ttl_s}s)` };
      else if (!c.external && !isAlive(c.session)) r = { name, session: c.session, reason: `session ${c.session} is not alive` };
      if (!r) continue;
      rmSync(ctx.paths.claim(name), { force: true });
      reaped.push(r);
    }
    return reaped;
  });
}

// `looop claim|release|claims`: leases a worker takes on a task so two never work on the same thing.
import { safeText } from '../sanitize-text.ts';
import { context, type Ctx } from '../context.ts';
import { UsageError } from '../errors.ts';
import { checkId } from '../ids.ts';
import { MAX_TTL_S } from '../claims/read.ts';
import { formatAge, secondsSince, table, terminalWidth } from '../format.ts';

interface ClaimArgs {
  name: string;
  ttl?: number;
  note?: string;
  session?: string;
}

/** A worker's own LOOOP_SESSION_ID wins; --session is for shells outside any worker. */
function whoAmI(ctx: Ctx, flag: string | undefined): { session: string; external: boolean } | null {
  const env = ctx.env.LOOOP_SESSION_ID;
  if (env) return { session: checkId('session', env, { allowPulse: true }), external: false };
  if (flag) return { session: checkId('session', flag, { allowPulse: true }), external: true };
  return null;
}

export async function claim(args: ClaimArgs): Promise<number> {
  const ctx = context();
  const me = whoAmI(ctx, args.session);
  if (!me) throw new UsageError('claim needs a session: run it inside a looop worker (LOOOP_SESSION_ID is set there) or pass --session <id>');
  if (args.ttl !== undefined && (!Number.isInteger(args.ttl) || args.ttl <= 0 || args.ttl > MAX_TTL_S)) {
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_S} (ten years), got ${args.ttl}`);
  }
  const { takeClaim } = await import('../claims/take.ts');
  const { viewFleet, livenessFrom } = await import('./workers-view.ts');
  const res = await takeClaim(ctx, {
    name: args.name,
    session: me.session,
    external: me.external,
    ttlS: args.ttl,
    note: args.note,
    isAlive: async (s) => livenessFrom(await viewFleet(ctx))(s),
  });
  const ttl = res.claim.ttl_s ? ` until ${res.claim.expires_at}` : '';
  if (me.external) {
    const { journalByHand } = await import('../beat/by-hand.ts');
    await journalByHand(ctx, `claimed ${res.claim.name} for session ${me.session}`);
  }
  if (res.outcome === 'taken') process.stdout.write(`claimed ${res.claim.name} for session ${me.session}${ttl}\n`);
  if (res.outcome === 'renewed') process.stdout.write(`renewed ${res.claim.name} for session ${me.session}${ttl}\n`);
  if (res.outcome === 'took_over') process.stdout.write(`claimed ${res.claim.name} for session ${me.session}${ttl} (took it over from ${res.previous.session}: ${res.reason})\n`);
  return 0;
}

export async function release(args: { name: string; session?: string; force?: boolean }): Promise<number> {
  const ctx = context();
  const me = whoAmI(ctx, args.session);
  if (!me && !args.force) throw new UsageError('release needs a session: run it inside a looop worker or pass --session <id> (or --force to drop anyone\'s lease)');
  const { releaseClaim } = await import('../claims/take.ts');
  const res = await releaseClaim(ctx, { name: args.name, session: me?.session ?? null, force: args.force });
  if (res.released) process.stdout.write(`released ${args.name}${res.claim.session !== me?.session ? ` (held by ${res.claim.session})` : ''}\n`);
  else process.stdout.write(`${args.name} was not claimed\n`);
  return 0;
}

export async function list(args: { json?: boolean }): Promise<number> {
  const ctx = context();
  const { listClaims } = await import('../claims/read.ts');
  const claims = await listClaims(ctx);
  let alive: (s: string) => boolean | null = () => null;
  if (claims.some((c) => !c.external)) {
    const { viewFleet, livenessFrom } = await import('./workers-view.ts');
    const view = await viewFleet(ctx);
    if (view.ok) alive = livenessFrom(view);
  }
  const rows = claims.map((c) => ({ ...c, alive: c.external ? null : alive(c.session) }));
  if (args.json) {
    process.stdout.write(JSON.stringify(rows) + '\n');
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no claims\n');
    return 0;
  }
  const now = new Date();
  const lines = [['NAME', 'SESSION', 'AGE', 'EXPIRES', 'NOTE']];
  for (const c of rows) {
    const who = c.session + (c.external ? ' (external)' : c.alive === false ? ' (gone)' : '');
    const exp = c.expires_at ? `in ${formatAge(-secondsSince(c.expires_at, now))}` : '-';
    lines.push([c.name, who, formatAge(secondsSince(c.ts, now)), exp, c.note ?? '']);
  }
  process.stdout.write(safeText(table(lines, { width: terminalWidth() })) + '\n');
  return 0;
}

// Reading leases: claims/<name>.json files, parsed defensively (a hand-edited file must not break a beat).
import { readdirSync, readFileSync } from 'node:fs';
import type { Ctx } from '../context.ts';
import { idProblem } from '../ids.ts';

/** What is stored in claims/<name>.json. */
export interface ClaimFile {
  session: string;
  name: string;
  ts: string;
  ttl_s?: number;
  note?: string;
  /** Taken with --session from outside a worker: no tmux window vouches for it, so only its TTL or a release ends it. */
  external?: boolean;
}

/** A lease as listings, status and the sys-claims reading see it (stable keys). */
export interface ClaimInfo {
  name: string;
  session: string;
  ts: string;
  ttl_s: number | null;
  note: string | null;
  external: boolean;
  expires_at: string | null;
}

/** Ten years: longer leases are refused (a huge TTL once made every date computation throw). */
export const MAX_TTL_S = 10 * 365 * 86400;
// Dates past year 9999 (or before 1970) are not leases anyone wrote by hand or by `looop claim`.
const MAX_TS_MS = Date.UTC(9999, 11, 31);

/** The lease, or null when it is corrupt: bad JSON, no session, a date or TTL out of range (reaped, never fatal). */
export function parseClaim(text: string, expectedName: string): ClaimFile | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  if (typeof c.session !== 'string' || !c.session || typeof c.ts !== 'string') return null;
  const at = Date.parse(c.ts);
  if (!Number.isFinite(at) || at < 0 || at > MAX_TS_MS) return null;
  const out: ClaimFile = { session: c.session, name: expectedName, ts: c.ts };
  if (c.ttl_s !== undefined && c.ttl_s !== null) {
    if (typeof c.ttl_s !== 'number' || !Number.isFinite(c.ttl_s) || c.ttl_s > MAX_TTL_S) return null;
    if (c.ttl_s > 0) out.ttl_s = c.ttl_s;
  }
  if (typeof c.note === 'string' && c.note) out.note = c.note;
  if (c.external === true) out.external = true;
  return out;
}

export function expiresAt(c: ClaimFile): Date | null {
  return c.ttl_s ? new Date(Date.parse(c.ts) + c.ttl_s * 1000) : null;
}

export function isExpired(c: ClaimFile, now: Date): boolean {
  const at = expiresAt(c);
  return at !== null && at.getTime() <= now.getTime();
}

export function toInfo(c: ClaimFile): ClaimInfo {
  return {
    name: c.name,
    session: c.session,
    ts: c.ts,
    ttl_s: c.ttl_s ?? null,
    note: c.note ?? null,
    external: c.external === true,
    expires_at: expiresAt(c)?.toISOString() ?? null,
  };
}

/** Claim names present on disk (skips the lock, temp files and anything that is not a valid name). */
export function claimNames(ctx: Ctx): string[] {
  let entries: string[];
  try {
    entries = readdirSync(ctx.paths.claims);
  } catch {
    return [];
  }
  return entries
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((n) => idProblem(n) === null)
    .sort();
}

/** The stored claim, or 'missing' / 'corrupt'. */
export function readClaim(ctx: Ctx, name: string): ClaimFile | 'missing' | 'corrupt' {
  let text: string;
  try {
    text = readFileSync(ctx.paths.claim(name), 'utf8');
  } catch {
    return 'missing';
  }
  return parseClaim(text, name) ?? 'corrupt';
}

/** Every readable lease, sorted by name; unreadable files are skipped (the beat reaps them). */
export async function listClaims(ctx: Ctx): Promise<ClaimInfo[]> {
  const out: ClaimInfo[] = [];
  for (const name of claimNames(ctx)) {
    const c = readClaim(ctx, name);
    if (typeof c === 'object') out.push(toInfo(c));
  }
  return out;
}

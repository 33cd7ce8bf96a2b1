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

export function parseClaim(text: string, expectedName: string): ClaimFile | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  if (typeof c.session !== 'string' || !c.session || typeof c.ts !== 'string' || !Number.isFinite(Date.parse(c.ts))) return null;
  const out: ClaimFile = { session: c.session, name: expectedName, ts: c.ts };
  if (typeof c.ttl_s === 'number' && c.ttl_s > 0) out.ttl_s = c.ttl_s;
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

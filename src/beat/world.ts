// The world one beat sees: policy (PLAYBOOK + goals) and readings, hashed; WHAT CHANGED against the last committed one.
import { sha256 } from './canonical.ts';

export interface World {
  playbook: string;
  /** goal id -> body */
  goals: Record<string, string>;
  /** sensor name -> wake part (canonical) */
  signals: Record<string, string>;
}

/** The compact form kept in .last-world.json as the baseline for WHAT CHANGED. */
export interface WorldBaseline {
  playbook: string;
  goals: Record<string, string>;
  signals: Record<string, string>;
}

export function policyHash(w: Pick<World, 'playbook' | 'goals'>): string {
  const goals = Object.keys(w.goals).sort().map((id) => `${id}\n${w.goals[id]}`);
  return sha256('playbook', w.playbook, 'goals', ...goals);
}

export function worldHash(w: World): string {
  const signals = Object.keys(w.signals).sort().map((n) => `${n}\n${w.signals[n]}`);
  return sha256(policyHash(w), 'signals', ...signals);
}

const CHANGE_VALUE_MAX = 300;
const CHANGES_MAX = 200;

function short(s: string): string {
  return s.length > CHANGE_VALUE_MAX ? `${s.slice(0, CHANGE_VALUE_MAX)}… (${s.length} chars)` : s;
}

function lineDiff(before: string, after: string): string {
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  const added = [...b].filter((l) => !a.has(l) && l.trim()).length;
  const removed = [...a].filter((l) => !b.has(l) && l.trim()).length;
  return `+${added}/-${removed} lines`;
}

/** Human lines saying which readings, goals or PLAYBOOK differ from the baseline, and how (≤ 200 lines). */
export function whatChanged(base: WorldBaseline | null, now: World): { lines: string[]; cut: number } {
  if (!base) return { lines: ['(first decision: no earlier committed beat to compare with)'], cut: 0 };
  const lines: string[] = [];
  if (base.playbook !== now.playbook) lines.push(`PLAYBOOK changed (${lineDiff(base.playbook, now.playbook)})`);
  for (const id of Object.keys(now.goals).sort()) {
    if (!(id in base.goals)) lines.push(`goal ${id}: new`);
    else if (base.goals[id] !== now.goals[id]) lines.push(`goal ${id}: changed (${lineDiff(base.goals[id]!, now.goals[id]!)})`);
  }
  for (const id of Object.keys(base.goals).sort()) if (!(id in now.goals)) lines.push(`goal ${id}: gone (archived or deleted)`);
  for (const n of Object.keys(now.signals).sort()) {
    if (!(n in base.signals)) lines.push(`sensor ${n}: new reading ${short(now.signals[n]!)}`);
    else if (base.signals[n] !== now.signals[n]) lines.push(`sensor ${n}: ${short(base.signals[n]!)} -> ${short(now.signals[n]!)}`);
  }
  for (const n of Object.keys(base.signals).sort()) if (!(n in now.signals)) lines.push(`sensor ${n}: gone`);
  if (lines.length === 0) lines.push('(nothing: same world as the last committed beat; this is a recheck)');
  if (lines.length <= CHANGES_MAX) return { lines, cut: 0 };
  // Leave room for the caller's "N more changes left out" line so the section stays ≤ 200 lines.
  const keep = CHANGES_MAX - 1;
  return { lines: lines.slice(0, keep), cut: lines.length - keep };
}

export interface FlapEntry {
  streak: number;
  last: string;
  announced: boolean;
}

export const FLAP_AT = 5;

/** Per-sensor streak: signal changed since the previous beat +1, unchanged −1, floor 0. */
export function updateFlaps(prev: Record<string, FlapEntry>, signals: Record<string, string>): {
  next: Record<string, FlapEntry>;
  flapping: string[];
  newlyFlapping: string[];
} {
  const next: Record<string, FlapEntry> = {};
  const flapping: string[] = [];
  const newlyFlapping: string[] = [];
  for (const name of Object.keys(signals).sort()) {
    const sig = sha256(signals[name]!);
    const old = prev[name];
    let streak = old ? (old.last !== sig ? old.streak + 1 : Math.max(0, old.streak - 1)) : 0;
    streak = Math.min(streak, 50);
    const isFlapping = streak >= FLAP_AT;
    const announced = isFlapping ? Boolean(old?.announced) : false;
    if (isFlapping) {
      flapping.push(name);
      if (!announced) newlyFlapping.push(name);
    }
    next[name] = { streak, last: sig, announced: isFlapping };
  }
  return { next, flapping, newlyFlapping };
}

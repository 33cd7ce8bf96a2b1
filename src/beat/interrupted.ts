// An action and its journal line cannot be one atomic step, so the beat writes down the action it is
// about to execute; if looop dies (SIGKILL, power) before the journal line, the next beat journals the
// action as interrupted. The journal then still has one line per action looop set out to execute.
import { existsSync, rmSync } from 'node:fs';
import { fileSize } from '../file-size.ts';
import { readJsonOr, writeJsonAtomic } from '../atomic.ts';
import type { Decision } from '../decision.ts';
import type { Paths } from '../paths.ts';
import { appendJournal } from './journal.ts';

interface Acting {
  run_id: string;
  action: string;
  text: string;
  /** journal.md's size before the action: a bigger journal means its line was written. */
  journal_bytes: number;
}

const journalBytes = (p: Paths): number => fileSize(p.journal);

export function markActing(p: Paths, d: Decision, runId: string): void {
  const target = 'id' in d ? ` ${d.id}` : 'name' in d ? ` ${d.name}` : '';
  const text = d.journal?.trim() || `${d.action}${target}`;
  writeJsonAtomic(p.acting, { run_id: runId, action: d.action, text, journal_bytes: journalBytes(p) } satisfies Acting);
}

export function clearActing(p: Paths): void {
  rmSync(p.acting, { force: true });
}

/** The journal line of an action the previous beat started but never journaled (or null). */
export function journalInterrupted(p: Paths, now: Date): string | null {
  if (!existsSync(p.acting)) return null;
  const a = readJsonOr<Acting | null>(p.acting, null);
  let line: string | null = null;
  if (a && typeof a.text === 'string' && journalBytes(p) <= a.journal_bytes) {
    line = appendJournal(p, `${a.text} (interrupted: looop stopped during this ${a.action} in run ${a.run_id}; it may not have completed)`, now);
  }
  clearActing(p);
  return line;
}

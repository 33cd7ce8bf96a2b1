// Moves a person makes by hand (not a beat, not a worker) are journaled and committed like an action,
// so journal.md and `git log` tell the whole story.
import { loadIsland } from '../island.ts';
import type { Ctx } from '../context.ts';
import { errorMessage } from '../errors.ts';
import { appendJournal } from './journal.ts';

/** Set in the env of everything a beat runs (sensors, the decider, run_shell). */
export const IN_BEAT_ENV = 'LOOOP_IN_BEAT';

export function isByHand(env: NodeJS.ProcessEnv): boolean {
  return !env.LOOOP_SESSION_ID && !env[IN_BEAT_ENV];
}

/** Journals `by hand: <text>` and commits it; a failure only warns: the move itself already happened. */
export async function journalByHand(ctx: Ctx, text: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!isByHand(env)) return;
  try {
    const line = appendJournal(ctx.paths, `by hand: ${text}`, new Date());
    const { commitMemory } = await loadIsland(() => import('./git-memory.ts'));
    const problem = await commitMemory(ctx.paths, line.slice(19));
    if (problem) process.stderr.write(`looop: warning: ${problem}\n`);
  } catch (err) {
    process.stderr.write(`looop: warning: could not journal this move: ${errorMessage(err)}\n`);
  }
}

/** One line of free text for a journal entry. */
export const brief = (text: string, max = 120): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

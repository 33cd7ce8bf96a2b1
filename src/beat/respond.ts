// DECIDE → ACT → LOG for a beat that passed its guards: prompt, runner, decision, action, journal, commit.
import { writeJsonAtomic } from '../atomic.ts';
import { askPromptLine, asksForDecider, listAsks } from '../asks.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { clampInterval } from './cadence.ts';
import { LooopError, errorMessage } from '../errors.ts';
import { loadIsland } from '../island.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import { act, ActionFailed } from './act.ts';
import { LockLostError } from './lock.ts';
import { decide, newRunId, pruneRuns } from './decide.ts';
import { clearActing, markActing } from './interrupted.ts';
import { appendJournal, journalTail } from './journal.ts';
import type { Observed } from './observe.ts';
import { buildPrompt } from './prompt.ts';
import { save, state, type LastShell } from './state.ts';
import { whatChanged, worldHash } from './world.ts';
import { wakePart } from './canonical.ts';
import { readSchedules, scheduleReading, settleDue } from '../schedules/store.ts';
import { envTunable } from '../tunables.ts';

export type Response =
  | { dryRun: true; prompt: string }
  | { dryRun?: false; ok: true; runId: string; action: string }
  | { dryRun?: false; ok: false; runId: string; reason: string };

export interface RespondInput {
  ctx: Ctx;
  config: Config;
  fleet: Fleet;
  emit: Emit;
  now: Date;
  env: Record<string, string | undefined>;
  seen: Observed;
  hash: string;
  flapping: string[];
  dryRun: boolean;
  /** Why this beat no longer owns the beat lock, or null; asked right before acting and before committing. */
  lockLost?: () => Promise<string | null>;
}

export function composePrompt(i: RespondInput): string {
  const p = i.ctx.paths;
  const changes = whatChanged(state.lastWorld(p), i.seen.world);
  if (changes.cut) i.emit({ event: 'truncated', section: 'WHAT CHANGED', detail: `${changes.cut} more lines left out` });
  const shell = state.lastShell(p);
  const failure = state.lastFailure(p);
  const built = buildPrompt({
    playbook: i.seen.world.playbook,
    goals: i.seen.goals,
    readings: i.seen.readings,
    journal: journalTail(p, 20),
    changes: changes.cut ? [...changes.lines, `[looop: ${changes.cut} more changes left out]`] : changes.lines,
    lastShell: shell,
    flapping: i.flapping,
    lastFailure: failure?.reason ?? null,
    failures: state.backoff(p)?.failures,
    asks: asksForDecider(listAsks(p)).map(askPromptLine),
    now: `${i.now.toString()}`,
    maxBytes: envTunable(i.ctx.env, 'LOOOP_PROMPT_MAX_BYTES'),
  });
  for (const c of built.cuts) i.emit({ event: 'truncated', section: c.section, detail: c.detail });
  return built.text;
}

/**
 * Schedules this beat decided on are settled (one-shots gone, recurring ones advanced), and the world
 * committed as the baseline is the settled one: otherwise a schedule leaving the due list would look
 * like a change and wake the decider a second time.
 */
function settledWorld(i: RespondInput): { hash: string; world: Observed['world'] } {
  const p = i.ctx.paths;
  if (!settleDue(p, i.seen.schedules.due, i.now)) return { hash: i.hash, world: i.seen.world };
  const reading = scheduleReading(readSchedules(p).schedules, i.now);
  const world = { ...i.seen.world, signals: { ...i.seen.world.signals, 'sys-schedules': wakePart(JSON.stringify(reading)) } };
  return { hash: worldHash(world), world };
}

export async function decideAndAct(i: RespondInput): Promise<Response> {
  const p = i.ctx.paths;
  const prompt = composePrompt(i);
  if (i.dryRun) {
    i.emit({ event: 'dry_run', would: 'decide', prompt, hash: i.hash });
    return { dryRun: true, prompt };
  }
  const runId = newRunId(i.now);
  const fail = (reason: string): Response => ({ ok: false, runId, reason });
  i.emit({ event: 'decide', run_id: runId, runner: i.config.default });
  const progress = {
    line: (line: string) => i.emit({ event: 'progress', run_id: runId, line }),
    heartbeat: (elapsed_s: number) => i.emit({ event: 'heartbeat', run_id: runId, elapsed_s }),
  };
  const d = await decide({ paths: p, config: i.config, runId, prompt, env: i.env, progress, warn: (message) => i.emit({ event: 'warn', message }) });
  // The decider may have run while this beat stalled and another took the lock (and its .decision.json).
  const lostDeciding = await i.lockLost?.();
  if (lostDeciding) throw new LockLostError(`${lostDeciding}; its decision is discarded`);
  pruneRuns(p, envTunable(i.ctx.env, 'LOOOP_RUNS_KEEP'));
  if (!d.ok) return fail(d.reason);
  const { parseDecision } = await import('../decision.ts');
  const parsed = parseDecision(d.raw);
  if (!parsed.ok) return fail(parsed.reason);
  const decision = parsed.decision;

  const lostBefore = await i.lockLost?.();
  if (lostBefore) throw new LockLostError(`${lostBefore}; did not act on its ${decision.action}`);
  const previousShell = state.lastShell(p);
  const { commitHumanEdits, commitMemory } = await loadIsland(() => import('./git-memory.ts'));
  const human = await commitHumanEdits(p);
  if (human) i.emit({ event: 'warn', message: human });
  let outcome;
  markActing(p, decision, runId);
  try {
    outcome = await act(decision, { paths: p, config: i.config, fleet: i.fleet, env: i.env, emit: i.emit, runId, now: i.now });
  } catch (err) {
    clearActing(p);
    const shell = (err as { shell?: LastShell }).shell;
    if (shell) save.lastShell(p, shell);
    if (err instanceof ActionFailed || err instanceof LooopError) return fail(`${decision.action} failed: ${err.message}`);
    return fail(`${decision.action} failed: ${errorMessage(err)}`);
  }

  const line = appendJournal(p, decision.journal?.trim() || outcome.summary, i.now);
  clearActing(p);
  const lostAfter = await i.lockLost?.();
  if (lostAfter) throw new LockLostError(`${lostAfter}; its ${decision.action} ran and is journaled, but nothing was committed`);
  const settled = settledWorld(i);
  save.commit(p, settled.hash, settled.world);
  save.lastDecision(p, { action: decision.action, hash: settled.hash, ts: i.now.toISOString() });
  if (outcome.shell) save.lastShell(p, outcome.shell);
  else if (previousShell && !previousShell.shown) save.lastShell(p, { ...previousShell, shown: true });
  const next = decision.next_interval_s ?? outcome.defaultNext;
  if (next !== undefined) save.nextInterval(p, clampInterval(next));
  // The wake-up is durable (a pulse restart or a cron tick honours it) and replaced by each decision.
  if (decision.next_interval_s !== undefined) save.nudge(p, { due: new Date(i.now.getTime() + clampInterval(decision.next_interval_s) * 1000).toISOString() });
  else save.clearNudge(p);
  writeJsonAtomic(p.runResult(runId), { ts: i.now.toISOString(), result: 'acted', action: decision.action, journal: line.slice(19) });
  i.emit({ event: 'decided', run_id: runId, action: decision.action, journal: line.slice(19), ms: d.ms });

  const problem = await commitMemory(p, line.slice(19));
  if (problem) i.emit({ event: 'warn', message: problem });
  return { ok: true, runId, action: decision.action };
}

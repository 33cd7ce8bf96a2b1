// DECIDE → ACT → LOG for a beat that passed its guards: prompt, runner, decision, action, journal, commit.
import { writeJsonAtomic } from '../atomic.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { clampInterval } from './cadence.ts';
import { LooopError, errorMessage } from '../errors.ts';
import type { Emit } from '../events.ts';
import type { Fleet } from '../fleet/types.ts';
import { act, ActionFailed } from './act.ts';
import { decide, newRunId, pruneRuns } from './decide.ts';
import { clearActing, markActing } from './interrupted.ts';
import { appendJournal, journalTail } from './journal.ts';
import type { Observed } from './observe.ts';
import { buildPrompt } from './prompt.ts';
import { save, state, type LastShell } from './state.ts';
import { whatChanged } from './world.ts';
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
    now: `${i.now.toString()}`,
    maxBytes: envTunable(i.ctx.env, 'LOOOP_PROMPT_MAX_BYTES'),
  });
  for (const c of built.cuts) i.emit({ event: 'truncated', section: c.section, detail: c.detail });
  return built.text;
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
  const d = await decide({ paths: p, config: i.config, runId, prompt, env: i.env });
  pruneRuns(p, envTunable(i.ctx.env, 'LOOOP_RUNS_KEEP'));
  if (!d.ok) return fail(d.reason);
  const { parseDecision } = await import('../decision.ts');
  const parsed = parseDecision(d.raw);
  if (!parsed.ok) return fail(parsed.reason);
  const decision = parsed.decision;

  const previousShell = state.lastShell(p);
  let outcome;
  markActing(p, decision, runId);
  try {
    outcome = await act(decision, { paths: p, config: i.config, fleet: i.fleet, env: i.env, emit: i.emit, runId });
  } catch (err) {
    clearActing(p);
    const shell = (err as { shell?: LastShell }).shell;
    if (shell) save.lastShell(p, shell);
    if (err instanceof ActionFailed || err instanceof LooopError) return fail(`${decision.action} failed: ${err.message}`);
    return fail(`${decision.action} failed: ${errorMessage(err)}`);
  }

  const line = appendJournal(p, decision.journal?.trim() || outcome.summary, i.now);
  clearActing(p);
  save.commit(p, i.hash, i.seen.world);
  save.lastDecision(p, { action: decision.action, hash: i.hash, ts: i.now.toISOString() });
  if (outcome.shell) save.lastShell(p, outcome.shell);
  else if (previousShell && !previousShell.shown) save.lastShell(p, { ...previousShell, shown: true });
  const next = decision.next_interval_s ?? outcome.defaultNext;
  if (next !== undefined) save.nextInterval(p, clampInterval(next));
  writeJsonAtomic(p.runResult(runId), { ts: i.now.toISOString(), result: 'acted', action: decision.action, journal: line.slice(19) });
  i.emit({ event: 'decided', run_id: runId, action: decision.action, journal: line.slice(19), ms: d.ms });

  const { commitMemory } = await import('./git-memory.ts');
  const problem = await commitMemory(p, line.slice(19));
  if (problem) i.emit({ event: 'warn', message: problem });
  return { ok: true, runId, action: decision.action };
}

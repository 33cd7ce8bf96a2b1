// The person's side of the trust boundary: answer/approve/deny an ask, approve a sensor the decider
// wrote, approve/deny a worker's permission prompt. Each is journaled with who did it.
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AskProblem, closeAsk, openAsk, type Ask } from './asks.ts';
import { appendJournal } from './beat/journal.ts';
import { fileTail, runInGroup } from './beat/processes.ts';
import type { Ctx } from './context.ts';
import { childEnv } from './paths.ts';

/** Who is approving: the login name (journaled next to what they approved). */
export function approver(env: NodeJS.ProcessEnv): string {
  try {
    return env.USER || env.LOGNAME || userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function answerAsk(ctx: Ctx, id: string, text: string, now = new Date()): Ask {
  const a = openAsk(ctx.paths, id);
  if (a.run) throw new AskProblem(`ask ${id} wants to run a command: use looop approve ${id} or looop deny ${id}`);
  const by = approver(ctx.env);
  const closed = closeAsk(ctx.paths, a, 'answered', { answer: text }, by, now);
  appendJournal(ctx.paths, `${by} answered ${id}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`, now);
  return closed;
}

export function denyAsk(ctx: Ctx, id: string, why: string, now = new Date()): Ask {
  const a = openAsk(ctx.paths, id);
  const by = approver(ctx.env);
  const closed = closeAsk(ctx.paths, a, 'denied', why ? { answer: why } : {}, by, now);
  appendJournal(ctx.paths, `${by} denied ${id}${a.run ? ` (\`${a.run.replace(/\s+/g, ' ').slice(0, 160)}\`)` : ''}${why ? `: ${why}` : ''}`, now);
  return closed;
}

/** Runs the ask's exact command once, unsandboxed, as the person; a second approve finds it closed. */
export async function approveAsk(ctx: Ctx, id: string, now = new Date()): Promise<{ ask: Ask; output: string }> {
  const a = openAsk(ctx.paths, id);
  if (!a.run) throw new AskProblem(`ask ${id} has no command to run: answer it with looop answer ${id} <text>`);
  // Exactly once, even with two approves racing: the first to create the marker runs it.
  const marker = `${ctx.paths.ask(id)}.running`;
  let fd: number;
  try {
    fd = openSync(marker, 'wx');
  } catch {
    throw new AskProblem(`ask ${id} is being approved already`);
  }
  closeSync(fd);
  const by = approver(ctx.env);
  try {
    closeAsk(ctx.paths, a, 'approved', { exit_code: null }, by, now);
    const out = `${ctx.paths.ask(id)}.log`;
    mkdirSync(ctx.paths.asks, { recursive: true });
    const env = { ...process.env, ...ctx.env, ...childEnv(ctx.paths, ctx.configPath, ctx.bin) };
    const r = await runInGroup({ script: a.run, login: true, cwd: ctx.paths.root, env, outputFile: out, timeoutMs: 600_000 });
    const exit = r.timedOut ? 124 : r.exitCode;
    const closed = closeAsk(ctx.paths, a, 'approved', { exit_code: exit }, by, now);
    appendJournal(ctx.paths, `${by} approved ${id}: ran \`${a.run.replace(/\s+/g, ' ').slice(0, 160)}\` unsandboxed (exit ${exit ?? r.signal})`, new Date());
    return { ask: closed, output: fileTail(out, 4000) };
  } finally {
    rmSync(marker, { force: true });
  }
}

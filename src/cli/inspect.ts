// Looking at and waiting on a worker: shot, expect, wait, wait-idle.
import { context } from '../context.ts';
import { ExitCode, InvalidInputError } from '../errors.ts';
import { paneScreen } from '../tmux.ts';
import { expectText, waitExit, waitIdle } from '../fleet/waiters.ts';
import { findWindow } from '../fleet/windows.ts';

export async function shot(a: { id: string; ansi?: boolean; json?: boolean }): Promise<number> {
  const ctx = context();
  const row = await findWindow(ctx.paths.socket, String(a.id), { allowPulse: true });
  const s = await paneScreen(row.server, row.paneId, { ansi: Boolean(a.ansi) && !a.json });
  if (a.json) {
    const doc = { id: row.id, state: row.state, cols: s.cols, rows: s.rows, cursor: { x: s.cursorX, y: s.cursorY }, lines: s.lines };
    process.stdout.write(JSON.stringify(doc) + '\n');
    return 0;
  }
  const lines = [...s.lines];
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  process.stdout.write(lines.join('\n') + (a.ansi ? '\x1b[0m\n' : '\n'));
  return 0;
}

export function compileRegex(src: string): RegExp {
  try {
    return new RegExp(src, 'm');
  } catch (err) {
    throw new InvalidInputError(`bad regex ${JSON.stringify(src)}: ${(err as Error).message}`);
  }
}

export async function expect(a: { id: string; regex: string; timeout: number; new?: boolean; json?: boolean }): Promise<number> {
  const res = await expectText(context(), String(a.id), compileRegex(String(a.regex)), { timeoutS: a.timeout, fresh: a.new, allowPulse: true });
  process.stdout.write(a.json ? JSON.stringify({ id: a.id, ...res }) + '\n' : res.matched + '\n');
  return 0;
}

/** `wait`'s exit: the worker's own code; an unknown code is said out loud, never passed off as a real 1. */
export function waitOutcome(row: { id: string; state: string; exit_code: number | null }): ExitCode | null {
  if (row.exit_code === null) return new ExitCode(1, `"${row.id}" ended (${row.state}) but tmux never reported its exit status; look: looop log ${row.id}`);
  return row.exit_code === 0 ? null : new ExitCode(row.exit_code);
}

export async function wait(a: { id: string; timeout: number; json?: boolean }): Promise<number> {
  const row = await waitExit(context(), String(a.id), a.timeout);
  if (a.json) process.stdout.write(JSON.stringify({ id: row.id, state: row.state, exit_code: row.exit_code }) + '\n');
  const fail = waitOutcome(row);
  if (fail) throw fail;
  return 0;
}

export async function idle(a: { id: string; quiet: number; timeout: number; json?: boolean }): Promise<number> {
  const res = await waitIdle(context(), String(a.id), a.quiet, a.timeout, true);
  if (a.json) process.stdout.write(JSON.stringify({ id: a.id, ...res }) + '\n');
  return 0;
}

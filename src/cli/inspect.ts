// Looking at and waiting on a worker: shot, expect, wait, wait-idle.
import { context } from '../context.ts';
import { ExitCode, InvalidInputError } from '../errors.ts';
import { paneScreen } from '../tmux.ts';
import { expectText, waitExit, waitIdle } from '../fleet/waiters.ts';
import { findWindow } from '../fleet/windows.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

async function shot(a: { id: string; ansi?: boolean; json?: boolean }): Promise<number> {
  const ctx = context();
  const row = await findWindow(ctx.paths.socket, String(a.id), { allowPulse: true });
  const s = await paneScreen(ctx.paths.socket, row.paneId, { ansi: Boolean(a.ansi) && !a.json });
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

async function expect(a: { id: string; regex: string; timeout: number; new?: boolean; json?: boolean }): Promise<number> {
  const res = await expectText(context(), String(a.id), compileRegex(String(a.regex)), { timeoutS: a.timeout, fresh: a.new, allowPulse: true });
  process.stdout.write(a.json ? JSON.stringify({ id: a.id, ...res }) + '\n' : res.matched + '\n');
  return 0;
}

async function wait(a: { id: string; timeout: number; json?: boolean }): Promise<number> {
  const row = await waitExit(context(), String(a.id), a.timeout);
  const code = row.exit_code ?? 1;
  if (a.json) process.stdout.write(JSON.stringify({ id: row.id, state: row.state, exit_code: row.exit_code }) + '\n');
  if (code !== 0) throw new ExitCode(code);
  return 0;
}

async function idle(a: { id: string; quiet: number; timeout: number; json?: boolean }): Promise<number> {
  const res = await waitIdle(context(), String(a.id), a.quiet, a.timeout, true);
  if (a.json) process.stdout.write(JSON.stringify({ id: a.id, ...res }) + '\n');
  return 0;
}

const seconds = (what: string) => ({ type: 'number' as const, describe: what });

export const inspectCommands: Command[] = [
  {
    command: 'shot <id>',
    describe: "print a worker's visible screen (capture-pane); `shot pulse` shows the loop",
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .option('ansi', { type: 'boolean', describe: 'keep colours and attributes' })
        .option('json', { type: 'boolean', describe: 'print {id,state,cols,rows,cursor:{x,y},lines}' })
        .conflicts('ansi', 'json'),
    handler: handle(shot),
  },
  {
    command: 'expect <id> <regex>',
    describe: "wait until a regex (JavaScript syntax, ^/$ per line) matches the worker's screen or its output since it (re)started; prints the match. Exit 124 on timeout, 1 if the worker ends first",
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .positional('regex', { type: 'string' })
        .option('timeout', { ...seconds('give up after S seconds (0 = never)'), default: 30 })
        .option('new', { type: 'boolean', describe: 'only output written after this call counts (not the screen or earlier output)' })
        .option('json', { type: 'boolean', describe: 'print {id,matched,where}' }),
    handler: handle(expect),
  },
  {
    command: 'wait <id>',
    describe: "wait until a worker's command exits; exits with the worker's exit code",
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .option('timeout', { ...seconds('give up after S seconds with exit 124 (0 = never)'), default: 0 })
        .option('json', { type: 'boolean', describe: 'print {id,state,exit_code}' }),
    handler: handle(wait),
  },
  {
    command: 'wait-idle <id>',
    describe: "wait until a worker's output has been quiet for --quiet seconds (or it ended); exit 124 on timeout",
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .option('quiet', { ...seconds('seconds without output that count as idle'), default: 2 })
        .option('timeout', { ...seconds('give up after S seconds (0 = never)'), default: 0 })
        .option('json', { type: 'boolean', describe: 'print {id,idle_s}' }),
    handler: handle(idle),
  },
];

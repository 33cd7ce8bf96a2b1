// Opens a looop window whose transcript has the first byte: the command waits on a tmux channel
// until pipe-pane is attached, then execs. Used for workers and for the pulse.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../atomic.ts';
import type { Ctx } from '../context.ts';
import { InvalidInputError } from '../errors.ts';
import { childEnv } from '../paths.ts';
import { shellQuote } from '../runners.ts';
import { missingCommand } from '../proc/on-path.ts';
import { attachTranscript, killWindow, openWindow, readyWrapper, respawnPane, tmuxEnv } from '../tmux.ts';
import { passedEnv } from './pass-env.ts';
import { rotateTranscript, sizeOf } from './transcript.ts';
import { OPT, readWindows, type WindowRow } from './windows.ts';

export type FleetCtx = Pick<Ctx, 'paths' | 'configPath' | 'bin' | 'env'>;

export interface LaunchSpec {
  id: string;
  role: 'worker' | 'pulse';
  command: string;
  runner: string;
  extraEnv?: Record<string, string>;
  /** Where the command runs; default the data dir. */
  cwd?: string;
}

function windowEnv(ctx: FleetCtx, id: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...passedEnv(ctx.env), ...childEnv(ctx.paths, ctx.configPath, ctx.bin), LOOOP_SESSION_ID: id, LOOOP_WORKER_EVENTS: ctx.paths.workerEvents(id), ...extra };
}

export const channel = () => `looop-ready-${randomBytes(6).toString('hex')}`;

/** The window's environment in a private file its wrapper sources and deletes: no value ever sits in argv. */
function writeWindowEnv(ctx: FleetCtx, id: string, env: Record<string, string>): string {
  const file = ctx.paths.windowEnv(id, randomBytes(6).toString('hex'));
  writeFileAtomic(file, envBody(env), 0o600, { durable: false });
  return file;
}

/** An env file's text: one quoted assignment a line. */
export function envBody(env: Record<string, string>): string {
  return Object.entries(env)
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
    .join('');
}

/** Refuses a live id; reaps a finished window with that id and moves its transcript aside. */
export async function clearSlot(ctx: FleetCtx, id: string, opts: { maxWorkers?: number } = {}): Promise<void> {
  const rows = await readWindows(ctx.paths.socket);
  const same = rows.find((r) => r.id === id);
  if (same && (same.alive || (same.state === 'killed' && same.pid !== null))) {
    throw new InvalidInputError(`"${id}" is already running; pick another id, or \`looop kill ${id}\` first`);
  }
  if (opts.maxWorkers !== undefined) {
    const live = rows.filter((r) => r.role === 'worker' && r.alive).length;
    if (live >= opts.maxWorkers) {
      throw new InvalidInputError(`max_workers reached: ${live} of ${opts.maxWorkers} workers are running; wait for one to end or kill one`);
    }
  }
  if (same) await killWindow(same.server, same.windowId);
  mkdirSync(ctx.paths.session(id), { recursive: true });
  rotateTranscript(ctx.paths, id);
  // A new worker with a used id starts with no events and no running cost of its own.
  for (const f of [ctx.paths.workerEvents(id), ctx.paths.workerStatus(id), ctx.paths.workerSpend(id)]) rmSync(f, { force: true });
}

export function windowOptions(spec: LaunchSpec, logStart: number): Record<string, string | null> {
  return {
    [OPT.id]: spec.id,
    [OPT.role]: spec.role,
    [OPT.runner]: spec.runner,
    [OPT.cmd]: spec.command,
    [OPT.started]: String(Math.floor(Date.now() / 1000)),
    [OPT.logStart]: String(logStart),
    [OPT.killed]: null,
    [OPT.flag]: null,
    [OPT.flagTs]: null,
    [OPT.flagBy]: null,
    [OPT.popped]: null,
  };
}

/** Opens the window (starting the server if needed); returns once the command is running and logged. */
export async function openLogged(ctx: FleetCtx, spec: LaunchSpec): Promise<{ windowId: string; paneId: string }> {
  const socket = ctx.paths.socket;
  const ch = channel();
  const log = ctx.paths.transcript(spec.id);
  mkdirSync(ctx.paths.session(spec.id), { recursive: true, mode: 0o700 });
  // The transcript exists before pipe-pane appends to it, so it is private (0600) whatever the umask.
  closeSync(openSync(log, 'a', 0o600));
  const envFile = writeWindowEnv(ctx, spec.id, windowEnv(ctx, spec.id, spec.extraEnv));
  let target: { windowId: string; paneId: string };
  try {
    target = await openWindow(socket, { name: spec.id, cwd: spec.cwd ?? ctx.paths.root, argv: readyWrapper(socket, ch, spec.command, envFile) });
  } catch (err) {
    rmSync(envFile, { force: true });
    throw err;
  }
  try {
    await attachTranscript(socket, target, log, ch, windowOptions(spec, sizeOf(log)));
  } catch (err) {
    await killWindow(socket, target.windowId).catch(() => undefined);
    rmSync(envFile, { force: true });
    throw err;
  }
  return target;
}

/** Runs the window's recorded command again in the same window (respawn-pane -k), transcript appended. */
export async function respawnLogged(ctx: FleetCtx, row: WindowRow, command: string, cwd = ctx.paths.root): Promise<void> {
  const socket = ctx.paths.socket;
  const ch = channel();
  const log = ctx.paths.transcript(row.id);
  mkdirSync(ctx.paths.session(row.id), { recursive: true });
  const envFile = writeWindowEnv(ctx, row.id, windowEnv(ctx, row.id));
  await respawnPane(socket, row.paneId, { cwd, argv: readyWrapper(socket, ch, command, envFile) }).catch((err) => {
    rmSync(envFile, { force: true });
    throw err;
  });
  const spec: LaunchSpec = { id: row.id, role: row.role, command, runner: row.runner };
  await attachTranscript(socket, row, log, ch, windowOptions(spec, sizeOf(log)));
}

/** A runner whose program is not installed fails before a window opens, naming it. */
export function assertOnPath(template: string, runner: string, cwd: string, hint?: string): void {
  const cmd = missingCommand(template, cwd, tmuxEnv().PATH);
  if (!cmd) return;
  throw new InvalidInputError(`runner "${runner}" needs \`${cmd}\`, which is not installed${hint ? `; install it: ${hint}` : ''}`);
}

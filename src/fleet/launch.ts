// Opens a looop window whose transcript has the first byte: the command waits on a tmux channel
// until pipe-pane is attached, then execs. Used for workers and for the pulse.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Ctx } from '../context.ts';
import { InvalidInputError } from '../errors.ts';
import { childEnv } from '../paths.ts';
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
}

function windowEnv(ctx: FleetCtx, id: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...passedEnv(ctx.env), ...childEnv(ctx.paths, ctx.configPath, ctx.bin), LOOOP_SESSION_ID: id, ...extra };
}

const channel = () => `looop-ready-${randomBytes(6).toString('hex')}`;

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
  if (same) await killWindow(ctx.paths.socket, same.windowId);
  mkdirSync(ctx.paths.session(id), { recursive: true });
  rotateTranscript(ctx.paths, id);
}

function windowOptions(spec: LaunchSpec, logStart: number): Record<string, string | null> {
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
  const target = await openWindow(socket, {
    name: spec.id,
    cwd: ctx.paths.root,
    env: windowEnv(ctx, spec.id, spec.extraEnv),
    argv: readyWrapper(socket, ch, spec.command),
  });
  try {
    await attachTranscript(socket, target, log, ch, windowOptions(spec, sizeOf(log)));
  } catch (err) {
    await killWindow(socket, target.windowId).catch(() => undefined);
    throw err;
  }
  return target;
}

/** Runs the window's recorded command again in the same window (respawn-pane -k), transcript appended. */
export async function respawnLogged(ctx: FleetCtx, row: WindowRow, command: string): Promise<void> {
  const socket = ctx.paths.socket;
  const ch = channel();
  const log = ctx.paths.transcript(row.id);
  mkdirSync(ctx.paths.session(row.id), { recursive: true });
  await respawnPane(socket, row.paneId, { cwd: ctx.paths.root, env: windowEnv(ctx, row.id), argv: readyWrapper(socket, ch, command) });
  const spec: LaunchSpec = { id: row.id, role: row.role, command, runner: row.runner };
  await attachTranscript(socket, row, log, ch, windowOptions(spec, sizeOf(log)));
}

/** A runner whose program is not installed fails before a window opens, naming it. */
export function assertOnPath(template: string, runner: string, cwd: string, hint?: string): void {
  const cmd = missingCommand(template, cwd, tmuxEnv().PATH);
  if (!cmd) return;
  throw new InvalidInputError(`runner "${runner}" needs \`${cmd}\`, which is not installed${hint ? `; install it: ${hint}` : ''}`);
}

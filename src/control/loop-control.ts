// `looop stop` and `looop poke`: the loop answers to a person in any shell.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Ctx } from '../context.ts';
import { readWindows, type WindowRow } from '../fleet/windows.ts';
import { teardownFleet } from '../pulse/teardown.ts';
import { TmuxDownError } from '../tmux.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pulseRow(ctx: Ctx): Promise<WindowRow | null> {
  try {
    return (await readWindows(ctx.paths.socket)).find((r) => r.role === 'pulse' && r.alive) ?? null;
  } catch (err) {
    if (err instanceof TmuxDownError) return null;
    throw err;
  }
}

export interface StopResult {
  pulse: number | null;
  workers: string[];
}

/** Stops the running pulse and, as its foreground would, every worker; the foreground (if any) ends with exit 0. */
export async function stopLoop(ctx: Ctx): Promise<StopResult> {
  const pulse = await pulseRow(ctx);
  if (!pulse) return { pulse: null, workers: [] };
  mkdirSync(ctx.paths.root, { recursive: true });
  writeFileSync(ctx.paths.stopRequest, `looop stop (pid ${process.pid})\n`);
  const { workers } = await teardownFleet(ctx, { pulse: true, reason: 'looop stop' });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (await pulseRow(ctx).catch(() => null))) await sleep(200);
  return { pulse: pulse.pid, workers };
}

/** Asks for one beat that ignores the backoff and the world hash; a running pulse wakes within a second. */
export async function poke(ctx: Ctx): Promise<{ pulse: number | null }> {
  mkdirSync(ctx.paths.root, { recursive: true });
  writeFileSync(ctx.paths.forceNext, `${new Date().toISOString()} poke\n`);
  const pulse = await pulseRow(ctx).catch(() => null);
  return { pulse: pulse?.pid ?? null };
}

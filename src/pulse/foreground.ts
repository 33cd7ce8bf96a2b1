// `looop` (no verb): bring the pulse up as the `pulse` window of the profile server, stream its
// transcript here, and on Ctrl-C / SIGTERM / SIGHUP / the pulse's death stop the pulse and every worker.
// A second `looop` on a profile whose pulse is alive only follows it (its Ctrl-C stops following).
import { extname } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { printer, useColor, type Emit } from '../events.ts';
import { clearSlot, openLogged } from '../fleet/launch.ts';
import { plainText, readFrom, sizeOf } from '../fleet/transcript.ts';
import { readWindows, type WindowRow } from '../fleet/windows.ts';
import { shellQuote } from '../runners.ts';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { InboxTail } from '../inbox/inbox.ts';
import { attachCommand, checkVersion, messageUserTmux, userServerSocket } from '../tmux.ts';
import { safeKeepColor } from '../sanitize-text.ts';
import { popNewFlags } from './popups.ts';
import { lockPulseStart } from './start-lock.ts';
import { teardownFleet } from './teardown.ts';
import { sleep } from '../proc/sleep.ts';


/** How the pulse window runs `looop _pulse` (node + the bundle, or an installed executable). */
export function pulseCommand(ctx: Ctx, owner: number, json: boolean): string {
  const self = /^\.(m|c)?js$/.test(extname(ctx.bin)) ? `${shellQuote(process.execPath)} ${shellQuote(ctx.bin)}` : shellQuote(ctx.bin);
  return `exec ${self} _pulse --owner ${owner}${json ? ' --json' : ''}`;
}

/** Writes the pulse transcript to our stdout in the shape asked for: coloured on a terminal, text on a pipe, NDJSON with --json. */
function writer(json: boolean): (chunk: Buffer, flush?: boolean) => void {
  const tty = Boolean(process.stdout.isTTY) && !json;
  let partial = '';
  return (chunk, flush = false) => {
    // Whole lines only, colour kept and every other control made visible: nothing the pulse relays drives the terminal.
    if (tty) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = flush ? '' : lines.pop()!;
      if (lines.length) process.stdout.write(lines.map((l) => safeKeepColor(l.replace(/\r$/, ''))).join('\n') + '\n');
      return;
    }
    const lines = (partial + plainText(chunk.toString('utf8'))).split('\n');
    partial = flush ? '' : lines.pop()!;
    const out = lines.filter((l) => l.trim()).map((l) => {
      if (!json || l.startsWith('{')) return l;
      // Anything else the pulse printed (a runtime warning) still reaches an NDJSON reader as an event.
      return JSON.stringify({ ts: new Date().toISOString(), event: 'warn', message: l });
    });
    if (out.length) process.stdout.write(out.join('\n') + '\n');
  };
}

async function supervise(ctx: Ctx, config: Config, emit: Emit, o: { json: boolean; owner: boolean; from: number }): Promise<number> {
  const log = ctx.paths.transcript('pulse');
  const write = writer(o.json);
  let offset = o.from;
  let stopping: string | null = null;
  const onSignal = (sig: NodeJS.Signals) => (stopping ??= sig);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  let pulse: WindowRow | undefined;
  let nextLook = 0;
  // The stream shows inbox records (the pulse prints them); inside the user's own tmux each one also rings.
  const user = userServerSocket();
  const tail = user && user !== ctx.paths.socket ? new InboxTail(ctx.paths.inbox) : null;
  const drain = (flush = false) => {
    const { text, end } = readFrom(log, offset);
    offset = end;
    if (text.length || flush) write(text, flush);
  };
  while (!stopping) {
    drain();
    if (Date.now() >= nextLook) {
      nextLook = Date.now() + 1000;
      // A tmux hiccup (timeout under load) is not the pulse's death: only a real answer counts.
      const rows = await readWindows(ctx.paths.socket).catch(() => null);
      if (rows) {
        pulse = rows.find((r) => r.role === 'pulse');
        if (!pulse?.alive) break;
        if (config.flagPopup) await popNewFlags(ctx, rows).catch(() => undefined);
      }
      for (const r of tail?.poll() ?? []) {
        if (process.stdout.isTTY) process.stdout.write('\x07');
        // eslint-disable-next-line no-control-regex
        messageUserTmux(user!, `looop ✉ #${r.n} ${r.title}`.replace(/[\x00-\x1f\x7f]+/g, ' '));
      }
    }
    await sleep(100);
  }
  // `looop stop` from another shell already stopped the pulse and the workers: say so, and succeed.
  const stopped = !stopping && existsSync(ctx.paths.stopRequest) ? readFileSync(ctx.paths.stopRequest, 'utf8').trim() : null;
  if (stopped !== null) rmSync(ctx.paths.stopRequest, { force: true });
  if (!o.owner) {
    drain(true);
    if (!stopping) emit({ event: 'pulse', state: 'down', detail: stopped ? `stopped by ${stopped}` : 'the pulse has stopped' });
    return 0;
  }
  if (stopped !== null) {
    await teardownFleet(ctx, { pulse: true, reason: 'looop stop' });
    await sleep(150);
    drain(true);
    emit({ event: 'pulse', state: 'down', detail: `stopped by ${stopped || 'looop stop'}; windows and transcripts are kept (looop ls)` });
    return 0;
  }
  if (stopping) emit({ event: 'pulse', state: 'down', detail: `${stopping}: stopping the pulse and every worker` });
  const { workers } = await teardownFleet(ctx, { pulse: true, reason: 'pulse stopped' });
  await sleep(150);
  drain(true);
  const died = stopping ? '' : `the pulse died${pulse?.exit_code != null ? ` (exit ${pulse.exit_code})` : ''}; `;
  emit({ event: 'pulse', state: 'down', detail: `${died}stopped ${workers.length} worker(s); windows and transcripts are kept (looop ls); \`looop resume <id>\` continues a worker's conversation` });
  return stopping ? 0 : 1;
}

export async function runForeground(ctx: Ctx, opts: { json: boolean }): Promise<number> {
  const config = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache });
  await checkVersion();
  const emit = printer(opts.json);
  const release = await lockPulseStart(ctx);
  let existing: WindowRow | undefined;
  try {
    existing = (await readWindows(ctx.paths.socket)).find((r) => r.role === 'pulse');
    if (!existing?.alive) {
      await clearSlot(ctx, 'pulse');
      const color = !opts.json && useColor();
      await openLogged(ctx, { id: 'pulse', role: 'pulse', command: pulseCommand(ctx, process.pid, opts.json), runner: 'pulse', extraEnv: color ? {} : { NO_COLOR: '1' } });
    }
  } finally {
    await release();
  }
  if (existing?.alive) {
    emit({ event: 'pulse', state: 'attached', detail: `the pulse already runs on this profile (pid ${existing.pid}); following it — Ctrl-C stops following, not the loop` });
    // Start at a line boundary a little before the end, so the last few events give context.
    const log = ctx.paths.transcript('pulse');
    const start = Math.max(existing.logStart, sizeOf(log) - 4096);
    const nl = start > existing.logStart ? readFrom(log, start).text.indexOf(10) : -1;
    return supervise(ctx, config, emit, { json: opts.json, owner: false, from: nl >= 0 ? start + nl + 1 : start });
  }
  emit({ event: 'pulse', state: 'up', detail: `Ctrl-C stops the loop and its workers · see it in tmux: ${attachCommand(ctx.paths.socket)}` });
  return supervise(ctx, config, emit, { json: opts.json, owner: true, from: 0 });
}

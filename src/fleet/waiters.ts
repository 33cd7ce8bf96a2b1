// Blocking on a worker: until a regex shows up (expect), until it exits (wait), until it is quiet (wait-idle).
import { ExitCode, NotFoundError, TimeoutError } from '../errors.ts';
import { capturePane, recordedExit } from '../tmux.ts';
import type { FleetCtx } from './launch.ts';
import { plainText } from './transcript.ts';
import { transcriptOf } from './remote-transcript.ts';
import { findWindow, readWindows, unreachableHosts, type WindowRow } from './windows.ts';
import { sleep } from '../proc/sleep.ts';

const TAIL = 256 * 1024;

export interface ExpectResult {
  matched: string;
  where: 'screen' | 'output';
}

async function current(ctx: FleetCtx, id: string): Promise<WindowRow | null> {
  return (await readWindows(ctx.paths.socket)).find((r) => r.id === id) ?? null;
}

/** A worker on a host that does not answer right now: unknown, waited for (never "went away"). */
const away = (row: WindowRow) => Boolean(row.host && unreachableHosts().has(row.host));

// Every look at a worker on another host is a round trip: looked at less often.
const every = (row: WindowRow, localMs: number, remoteMs: number) => (row.host ? remoteMs : localMs);

/**
 * Resolves when `re` matches the visible screen or the transcript of the current run (since the last
 * start/restart; with `fresh`, only output written after the call). Polls the transcript every 10 ms
 * (its growth is what wakes us) and the screen every 100 ms (TUIs draw with cursor moves); both every
 * 250 ms for a worker on another host.
 */
export async function expectText(ctx: FleetCtx, id: string, re: RegExp, o: { timeoutS: number; fresh?: boolean; allowPulse?: boolean }): Promise<ExpectResult> {
  const row = await findWindow(ctx.paths.socket, id, { allowPulse: o.allowPulse });
  const log = transcriptOf(ctx.paths, id, row.host);
  let offset = o.fresh ? await log.size() : row.logStart;
  let nextRead = 0;
  let tail = '';
  const deadline = o.timeoutS > 0 ? Date.now() + o.timeoutS * 1000 : Infinity;
  let nextScreen = 0;
  let nextAlive = Date.now() + 500;
  // With `fresh`, text already on screen does not count: only more matches than were there at the call.
  const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  const count = (text: string) => text.match(all)?.length ?? 0;
  const already = o.fresh ? count(await capturePane(row.server, row.paneId).catch(() => '')) : 0;
  for (;;) {
    if (Date.now() >= nextRead) {
      nextRead = Date.now() + every(row, 0, 250);
      const chunk = await log.read(offset).catch(() => ({ text: Buffer.alloc(0), end: offset }));
      offset = chunk.end;
      if (chunk.text.length) {
        tail = (tail + plainText(chunk.text.toString('utf8'))).slice(-TAIL);
        const m = tail.match(re);
        if (m) return { matched: m[0], where: 'output' };
      }
    }
    if (Date.now() >= nextScreen) {
      nextScreen = Date.now() + every(row, 100, 250);
      const screen = await capturePane(row.server, row.paneId).catch(() => '');
      const m = screen.match(re);
      if (m && (!already || count(screen) > already)) return { matched: m[0], where: 'screen' };
    }
    if (Date.now() >= nextAlive) {
      nextAlive = Date.now() + every(row, 500, 1000);
      const now = await current(ctx, id);
      if (!now && away(row)) continue;
      if (!now || now.windowId !== row.windowId) throw new NotFoundError(`"${id}" went away before ${re} appeared`);
      if (!now.alive && (await log.size()) <= offset) {
        const screen = await capturePane(row.server, row.paneId).catch(() => '');
        const m = screen.match(re);
        if (m && (!already || count(screen) > already)) return { matched: m[0], where: 'screen' };
        throw new ExitCode(1, `"${id}" ${now.state === 'killed' ? 'was killed' : `exited (${now.exit_code ?? '?'})`} before ${re} appeared`);
      }
    }
    if (Date.now() >= deadline) throw new TimeoutError(`timed out after ${o.timeoutS}s waiting for ${re} in "${id}"`);
    await sleep(10);
  }
}

/** The worker's exit code once its command has ended (128+n for a signal; killed without a code: 137). */
export async function waitExit(ctx: FleetCtx, id: string, timeoutS: number): Promise<WindowRow> {
  let row = await findWindow(ctx.paths.socket, id);
  const deadline = timeoutS > 0 ? Date.now() + timeoutS * 1000 : Infinity;
  // tmux marks a pane dead when its terminal closes and learns the status when it reaps the process,
  // a moment later: give the status up to 3 s to arrive.
  let statusBy = Infinity;
  while (row.pid !== null || (row.exit_code === null && row.state === 'exited' && Date.now() < statusBy)) {
    if (row.pid === null && statusBy === Infinity) statusBy = Date.now() + 3000;
    if (Date.now() >= deadline) throw new TimeoutError(`"${id}" still running after ${timeoutS}s`);
    await sleep(every(row, 100, 500));
    const next = await current(ctx, id);
    if (!next && away(row)) continue;
    if (!next || next.windowId !== row.windowId) throw new NotFoundError(`"${id}" went away while waiting`);
    row = next;
  }
  if (row.exit_code === null && row.state === 'exited') {
    const code = await recordedExit(row.server, row.paneId);
    if (code !== null) row = { ...row, exit_code: code };
  }
  return row;
}

/** Until the transcript has not grown for `quietS` seconds (or the worker ended). */
export async function waitIdle(ctx: FleetCtx, id: string, quietS: number, timeoutS: number, allowPulse = false): Promise<{ idle_s: number }> {
  const row = await findWindow(ctx.paths.socket, id, { allowPulse });
  const log = transcriptOf(ctx.paths, id, row.host);
  const deadline = timeoutS > 0 ? Date.now() + timeoutS * 1000 : Infinity;
  let size = await log.size();
  let since = Date.now();
  let nextAlive = Date.now() + 500;
  for (;;) {
    // A host that does not answer gives no evidence of quiet: its silence does not count.
    const s = await log.size().catch(() => -1);
    if (s !== size) {
      size = s;
      since = Date.now();
    }
    if (Date.now() - since >= quietS * 1000) return { idle_s: (Date.now() - since) / 1000 };
    if (Date.now() >= nextAlive) {
      nextAlive = Date.now() + every(row, 500, 1000);
      const now = await current(ctx, id);
      if (!now && away(row)) continue;
      if (!now || now.windowId !== row.windowId || now.pid === null) return { idle_s: (Date.now() - since) / 1000 };
    }
    if (Date.now() >= deadline) throw new TimeoutError(`"${id}" still printing after ${timeoutS}s (wanted ${quietS}s of quiet)`);
    await sleep(every(row, 50, 250));
  }
}

// Reading a session's transcript: `looop log` (plain text) and `looop watch` (live, read-only).
import { existsSync } from 'node:fs';
import { context } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { readRecord } from '../fleet/record.ts';
import { followSource, transcriptOf } from '../fleet/remote-transcript.ts';
import { checkId } from '../ids.ts';
import { paneScreen } from '../tmux.ts';
import { plainText } from '../fleet/transcript.ts';
import { readWindows, unreachableHosts } from '../fleet/windows.ts';
import { compileRegex } from './inspect.ts';

interface LogArgs {
  id: string;
  tail?: number;
  grep?: string;
  follow?: boolean;
  json?: boolean;
  raw?: boolean;
}

/** True once the session's window has no live process (following stops then); a host away is waited for. */
const liveCheck = (socket: string, id: string, host?: string) => async () => {
  const row = (await readWindows(socket)).find((r) => r.id === id);
  if (!row && host && unreachableHosts().has(host)) return false;
  return !row || row.pid === null;
};

/** Ctrl-C (or TERM, HUP) ends a follow cleanly: the last partial line is printed, no ssh read is left running. */
function stopOnSignals(): AbortSignal {
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => stop.abort());
  return stop.signal;
}

export async function log(a: LogArgs): Promise<number> {
  const ctx = context();
  const id = checkId('session id', String(a.id), { allowPulse: true });
  // A remote worker's transcript stays on its host: read (and followed) there through the connection.
  const host = (id === 'pulse' ? null : readRecord(ctx.paths, id))?.host;
  const src = transcriptOf(ctx.paths, id, host);
  if (src.path && !existsSync(src.path)) throw new NotFoundError(`no transcript for "${id}" (${src.path}); see \`looop ls\``);
  const re = a.grep ? compileRegex(a.grep) : null;
  let n = 0;
  let partial = '';
  const emitLines = (text: string, flush: boolean) => {
    const lines = (partial + text).split('\n');
    const last = lines.pop()!;
    partial = flush ? '' : last;
    if (flush && last) lines.push(last);
    const out: string[] = [];
    for (const line of lines) {
      n++;
      if (re && !re.test(line)) continue;
      out.push(a.json ? JSON.stringify({ id, n, line }) : line);
    }
    return out;
  };
  const start = await src.read(0);
  if (a.raw && !a.grep && !a.json) process.stdout.write(start.text);
  else {
    let lines = emitLines(plainText(start.text.toString('utf8')), !a.follow);
    if (a.tail !== undefined) lines = lines.slice(-Math.max(0, a.tail));
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }
  if (!a.follow) return 0;
  await followSource(src, start.end, (chunk) => {
    if (a.raw && !a.grep && !a.json) return void process.stdout.write(chunk);
    const lines = emitLines(plainText(chunk.toString('utf8')), false);
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }, { stop: liveCheck(ctx.paths.socket, id, host), signal: stopOnSignals() });
  const rest = emitLines('', true).filter((l) => l);
  if (rest.length) process.stdout.write(rest.join('\n') + '\n');
  return 0;
}

/** Read-only live view: the current screen, then the raw output as it comes, until the session ends. */
export async function watch(a: { id: string }): Promise<number> {
  const ctx = context();
  const id = checkId('session id', String(a.id), { allowPulse: true });
  const row = (await readWindows(ctx.paths.socket)).find((r) => r.id === id);
  if (!row) throw new NotFoundError(id === 'pulse' ? 'the pulse is not running on this profile (start it with `looop`)' : `no worker "${id}" on this profile (see \`looop ls\`)`);
  const src = transcriptOf(ctx.paths, id, row.host);
  const tty = Boolean(process.stdout.isTTY);
  let from = await src.size();
  if (id === 'pulse' || !tty) {
    // Line-oriented output (the pulse, or a pipe): the last lines of the transcript give the context.
    const head = await src.read(Math.max(0, from - 64 * 1024));
    from = head.end;
    const lines = plainText(head.text.toString('utf8')).split('\n').slice(-40).join('\n');
    if (lines.trim()) process.stdout.write(lines.replace(/\n*$/, '\n'));
  } else {
    const s = await paneScreen(row.server, row.paneId, { ansi: true });
    process.stdout.write(s.lines.join('\r\n') + '\x1b[0m\r\n');
  }
  await followSource(src, from, (chunk) => {
    process.stdout.write(tty ? chunk : plainText(chunk.toString('utf8')));
  }, { stop: liveCheck(ctx.paths.socket, id, row.host), signal: stopOnSignals() });
  return 0;
}

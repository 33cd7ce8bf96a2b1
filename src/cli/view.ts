// Reading a session's transcript: `looop log` (plain text) and `looop watch` (live, read-only).
import { existsSync } from 'node:fs';
import { context } from '../context.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { readRecord } from '../fleet/record.ts';
import { readHostState, readRemoteTranscript, remoteOf } from '../fleet/remote.ts';
import { checkId } from '../ids.ts';
import { paneScreen } from '../tmux.ts';
import { follow, plainText, readFrom, sizeOf } from '../fleet/transcript.ts';
import { readWindows } from '../fleet/windows.ts';
import { compileRegex } from './inspect.ts';

interface LogArgs {
  id: string;
  tail?: number;
  grep?: string;
  follow?: boolean;
  json?: boolean;
  raw?: boolean;
}

/** True while the session's window still has a live process (following stops after it ends). */
const liveCheck = (socket: string, id: string) => async () => {
  const row = (await readWindows(socket)).find((r) => r.id === id);
  return !row || row.pid === null;
};

export async function log(a: LogArgs): Promise<number> {
  const ctx = context();
  const id = checkId('session id', String(a.id), { allowPulse: true });
  const path = ctx.paths.transcript(id);
  const rec = id === 'pulse' ? null : readRecord(ctx.paths, id);
  if (rec?.host) return remoteLog(ctx.paths, rec.host, id, a);
  if (!existsSync(path)) throw new NotFoundError(`no transcript for "${id}" (${path}); see \`looop ls\``);
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
  const start = readFrom(path, 0);
  if (a.raw && !a.grep && !a.json) process.stdout.write(start.text);
  else {
    let lines = emitLines(plainText(start.text.toString('utf8')), !a.follow);
    if (a.tail !== undefined) lines = lines.slice(-Math.max(0, a.tail));
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }
  if (!a.follow) return 0;
  await follow(path, start.end, (chunk) => {
    if (a.raw && !a.grep && !a.json) return void process.stdout.write(chunk);
    const lines = emitLines(plainText(chunk.toString('utf8')), false);
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }, { stop: liveCheck(ctx.paths.socket, id) });
  const rest = emitLines('', true).filter((l) => l);
  if (rest.length) process.stdout.write(rest.join('\n') + '\n');
  return 0;
}

/** A remote worker's transcript stays on its host: read through the connection, once (no --follow). */
async function remoteLog(paths: Paths, host: string, id: string, a: LogArgs): Promise<number> {
  const state = readHostState(paths, host);
  if (!state) throw new NotFoundError(`host ${host} was never set up on this profile`);
  if (a.follow) throw new InvalidInputError(`--follow is not available for a worker on another host; \`looop attach ${id}\` shows it live`);
  const text = await readRemoteTranscript(remoteOf(state), state, id);
  if (a.raw && !a.grep && !a.json) return void process.stdout.write(text), 0;
  const re = a.grep ? compileRegex(a.grep) : null;
  const lines = plainText(text).split('\n');
  if (lines.at(-1) === '') lines.pop();
  let out = lines.map((line, i) => ({ n: i + 1, line })).filter((l) => !re || re.test(l.line));
  if (a.tail !== undefined) out = out.slice(-Math.max(0, a.tail));
  if (out.length) process.stdout.write(out.map((l) => (a.json ? JSON.stringify({ id, n: l.n, line: l.line }) : l.line)).join('\n') + '\n');
  return 0;
}

/** Read-only live view: the current screen, then the raw output as it comes, until the session ends. */
export async function watch(a: { id: string }): Promise<number> {
  const ctx = context();
  const id = checkId('session id', String(a.id), { allowPulse: true });
  const row = (await readWindows(ctx.paths.socket)).find((r) => r.id === id);
  if (!row) throw new NotFoundError(id === 'pulse' ? 'the pulse is not running on this profile (start it with `looop`)' : `no worker "${id}" on this profile (see \`looop ls\`)`);
  const path = ctx.paths.transcript(id);
  const tty = Boolean(process.stdout.isTTY);
  const from = sizeOf(path);
  if (id === 'pulse' || !tty) {
    // Line-oriented output (the pulse, or a pipe): the last lines of the transcript give the context.
    const text = plainText(readFrom(path, Math.max(0, from - 64 * 1024)).text.toString('utf8'));
    const lines = text.split('\n').slice(-40).join('\n');
    if (lines.trim()) process.stdout.write(lines.replace(/\n*$/, '\n'));
  } else {
    const s = await paneScreen(row.server, row.paneId, { ansi: true });
    process.stdout.write(s.lines.join('\r\n') + '\x1b[0m\r\n');
  }
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => stop.abort());
  await follow(path, from, (chunk) => {
    process.stdout.write(tty ? chunk : plainText(chunk.toString('utf8')));
  }, { stop: liveCheck(ctx.paths.socket, id), signal: stop.signal });
  return 0;
}

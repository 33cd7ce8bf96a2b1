// Session transcripts (sessions/<id>/output.log): rotation on id reuse, plain-text reading, following.
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { ANSI } from '../cost/sanitize.ts';
import type { Paths } from '../paths.ts';

/** Moves a previous run's transcript aside (output.<stamp>.log), never overwriting an older one. */
export function rotateTranscript(paths: Paths, id: string, now = new Date()): string | null {
  const cur = paths.transcript(id);
  let size = 0;
  try {
    size = statSync(cur).size;
  } catch {
    return null;
  }
  if (size === 0) return null;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let target = paths.rotatedTranscript(id, stamp);
  for (let n = 1; existsSync(target); n++) target = paths.rotatedTranscript(id, `${stamp}-${n}`);
  renameSync(cur, target);
  return target;
}

export { fileSize as sizeOf } from '../file-size.ts';

/** Bytes of a file from `offset` to its current end (at most `max`, the newest part when cut). */
export function readFrom(path: string, offset: number, max = 64 * 1024 * 1024): { text: Buffer; end: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { text: Buffer.alloc(0), end: offset };
  }
  try {
    const end = statSync(path).size;
    if (end < offset) offset = 0; // truncated or replaced: start over
    const start = Math.max(offset, end - max);
    const buf = Buffer.alloc(end - start);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.subarray(0, got), end: start + got };
  } finally {
    closeSync(fd);
  }
}

// CSI / OSC / other escape sequences, as terminals emit them; removed for plain-text reading and matching.

// Cursor moves that TUIs (claude) draw instead of spaces and line breaks: rendered, not dropped.
// eslint-disable-next-line no-control-regex
const CURSOR_RIGHT = /\x1b\[(\d*)C/g;
// eslint-disable-next-line no-control-regex
const CURSOR_LINE = /\x1b\[\d*(?:;\d*)?[HfEF]|\x1b\[\d*[BGd]/g;

/** Terminal output as plain text: cursor moves as spaces/line breaks, escapes removed, CRLF → LF, lone CRs and other controls dropped. */
export function plainText(raw: string): string {
  return raw
    .replace(CURSOR_RIGHT, (_, n: string) => ' '.repeat(Math.min(Number(n) || 1, 200)))
    .replace(CURSOR_LINE, (m) => (m.endsWith('G') ? ' ' : '\n'))
    .replace(ANSI, '')
    .replace(/\r+\n/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\r' ? '\n' : ''));
}

/** Calls `onData` with each new chunk appended to `path` until `stop()` resolves true or the signal aborts. */
/** Sleeps, or less when the signal aborts; the abort listener goes when the sleep ends (one per poll would pile up). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function follow(
  path: string,
  from: number,
  onData: (chunk: Buffer) => void,
  opts: { pollMs?: number; stop?: () => Promise<boolean> | boolean; signal?: AbortSignal } = {},
): Promise<void> {
  let offset = from;
  const pollMs = opts.pollMs ?? 100;
  let checks = 0;
  while (!opts.signal?.aborted) {
    const { text, end } = readFrom(path, offset);
    offset = end;
    if (text.length) onData(text);
    // Ask the (more expensive) stop condition about every 5 polls, then drain once more.
    if (opts.stop && ++checks % 5 === 0 && (await opts.stop())) {
      const last = readFrom(path, offset);
      if (last.text.length) onData(last.text);
      return;
    }
    await pause(pollMs, opts.signal);
  }
}

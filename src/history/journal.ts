// Reading journal.md (`- YYYY-MM-DD HH:MM text` per move): entries, a tail, and new lines as they land.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readTextOr } from '../atomic.ts';
import { sleep } from '../proc/sleep.ts';

export interface JournalEntry {
  /** Local "YYYY-MM-DD HH:MM", or null for a line not in the journal format (a hand edit). */
  ts: string | null;
  text: string;
}

const LINE = /^- (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) ?(.*)$/;

export function parseJournalLine(line: string): JournalEntry | null {
  if (!line.trim()) return null;
  const m = LINE.exec(line);
  return m ? { ts: m[1]!, text: m[2]! } : { ts: null, text: line };
}

export function parseJournal(text: string): JournalEntry[] {
  return text.split('\n').map(parseJournalLine).filter((e): e is JournalEntry => e !== null);
}

export function readJournal(path: string, tail?: number): JournalEntry[] {
  const all = parseJournal(readTextOr(path, ''));
  return tail === undefined ? all : tail <= 0 ? [] : all.slice(-tail);
}

/** Polls the file and hands over each new whole line; a truncated or replaced file starts over. */
export async function followLines(path: string, from: number, onLine: (line: string) => void, signal: AbortSignal, everyMs = 300): Promise<void> {
  let offset = from;
  let partial = '';
  while (!signal.aborted) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
    }
    if (size < offset) {
      offset = 0;
      partial = '';
    }
    if (size > offset) {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(size - offset);
        const n = readSync(fd, buf, 0, buf.length, offset);
        offset += n;
        const lines = (partial + buf.subarray(0, n).toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) onLine(l);
      } finally {
        closeSync(fd);
      }
    }
    await sleep(everyMs);
  }
}

export { fileSize } from '../file-size.ts';

// journal.md: one line per move, `- YYYY-MM-DD HH:MM <text>`, appended with a single write.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import dayjs from 'dayjs';
import { withPath } from '../atomic.ts';
import { appendNoFollow, readDataFile } from '../safe-read.ts';
import type { Paths } from '../paths.ts';

export const JOURNAL_LINE_MAX = 500;

export function journalLine(text: string, now: Date): string {
  let one = text.replace(/\s+/g, ' ').trim() || '(no text)';
  if (one.length > JOURNAL_LINE_MAX) one = one.slice(0, JOURNAL_LINE_MAX - 1) + '…';
  return `- ${dayjs(now).format('YYYY-MM-DD HH:mm')} ${one}`;
}

export function appendJournal(p: Paths, text: string, now: Date): string {
  const line = journalLine(text, now);
  mkdirSync(dirname(p.journal), { recursive: true });
  try {
    // A journal.md planted as a symlink must not make looop write outside the data dir: the link is moved aside.
    try {
      appendNoFollow(p.journal, line + '\n');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
      renameSync(p.journal, `${p.journal}.bad-${Date.now()}`);
      appendNoFollow(p.journal, line + '\n');
    }
  } catch (err) {
    throw withPath(err, p.journal);
  }
  return line;
}

export function journalTail(p: Paths, n: number): string[] {
  const read = readDataFile(p.journal);
  const text = read.ok ? read.text : '';
  const lines = text.split('\n').filter((l) => l.startsWith('- '));
  return lines.slice(-n);
}

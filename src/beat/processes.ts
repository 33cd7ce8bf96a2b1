// Reading what a command run by the beat printed (the runner itself lives in src/proc/group.ts).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { stripAnsi } from '../cost/sanitize.ts';

export { OUTPUT_CAP_TEXT, runInGroup, type GroupRun } from '../proc/group.ts';

/** The last `bytes` of a file, ANSI escapes stripped. */
export function fileTail(path: string, bytes = 2000): string {
  try {
    // Only the tail is read: the file may hold up to OUTPUT_CAP_BYTES.
    const size = statSync(path).size;
    const buf = Buffer.alloc(Math.min(bytes, size));
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, size - buf.length);
    } finally {
      closeSync(fd);
    }
    return stripAnsi(buf.toString('utf8'));
  } catch {
    return '';
  }
}

export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return line.length > 300 ? line.slice(0, 300) + '…' : line;
}

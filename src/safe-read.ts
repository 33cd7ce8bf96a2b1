// Files whose text goes into a prompt, an archive or git (PLAYBOOK, goals, sensors, the journal) are
// read without following a link, never through a hard link (it could be a private file from elsewhere),
// and only when regular: a FIFO opened non-blocking is refused instead of hanging the beat.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export type SafeRead = { ok: true; text: string } | { ok: false; missing: boolean; problem: string };

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The file's text, or why it was refused (one phrase naming the kind of file). */
export function readDataFile(path: string, maxBytes = 8 * 1024 * 1024): SafeRead {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, problem: 'is missing' };
    if (code === 'ELOOP' || code === 'EMLINK') return { ok: false, missing: false, problem: 'is a symbolic link (links are not followed)' };
    return { ok: false, missing: false, problem: `cannot be read (${code ?? (err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, missing: false, problem: 'is not a regular file' };
    if (st.nlink > 1) return { ok: false, missing: false, problem: `is hard-linked (${st.nlink} names; copy it instead of linking)` };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return { ok: true, text: buf.subarray(0, off).toString('utf8') };
  } catch (err) {
    return { ok: false, missing: false, problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** Appends without following a symlink at `path` (O_NOFOLLOW), creating the file private (0600). */
export function appendNoFollow(path: string, text: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

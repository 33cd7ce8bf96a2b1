// Every write that other readers may see goes through a temp file and a rename.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Temp file + rename: readers see the old or the new file, never half of one.
 * `durable: false` skips the fsync for scratch that the next beat re-makes anyway (a process crash
 * cannot tear it either way; only a power loss could, and then it is simply re-derived).
 */
// Private by default: transcripts, prompts and runs may hold secrets typed into a worker.
export function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600, opts: { durable?: boolean } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', mode);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    if (opts.durable !== false) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw withPath(err, path);
  }
}

/** write() and fsync() errors (ENOSPC, EIO) name no file; a failed beat must say which one. */
export function withPath(err: unknown, path: string): unknown {
  if (err instanceof Error && !err.message.includes(path)) err.message = `${err.message} (writing ${path})`;
  return err;
}

export function writeJsonAtomic(path: string, value: unknown, opts: { durable?: boolean } = {}): void {
  writeFileAtomic(path, JSON.stringify(value) + '\n', 0o600, opts);
}

/** Scratch write that is skipped when the file already holds exactly this text. */
export function writeScratch(path: string, text: string): void {
  if (readTextOr(path, null) === text) return;
  writeFileAtomic(path, text, 0o600, { durable: false });
}

/** A regular file's text, else the fallback; opened non-blocking so a FIFO planted there cannot hang us. */
export function readTextOr<T>(path: string, fallback: T): string | T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return fallback;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : fallback;
  } catch {
    return fallback;
  } finally {
    closeSync(fd);
  }
}

/** Reads JSON; a missing file gives the fallback, a corrupt one too (callers decide what that means). */
export function readJsonOr<T>(path: string, fallback: T): T {
  const text = readTextOr(path, null);
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

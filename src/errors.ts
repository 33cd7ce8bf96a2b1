// Named errors a caller can branch on; route.ts maps them to exit codes.

export class LooopError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad words on the command line or bad data given as input. */
export class UsageError extends LooopError {
  override readonly exitCode = 2;
}

/** A worker, run, claim or file that the user named does not exist. */
export class NotFoundError extends LooopError {}

/** Input that is data (an id, a decision field) failed validation. */
export class InvalidInputError extends LooopError {}

/** The config file is unreadable or invalid. */
export class ConfigError extends LooopError {}

/** Another beat holds the data dir's lock. */
export class LockedError extends LooopError {
  override readonly exitCode = 3;
}

/** tmux is missing, too old, or answered with an error. */
export class TmuxError extends LooopError {}

/** `expect` / `wait-idle` ran out of time. */
export class TimeoutError extends LooopError {
  override readonly exitCode = 124;
}

/** A beat that failed; the message is the one-line reason. */
export class BeatFailedError extends LooopError {}

/** Carries an exit code through without printing anything (e.g. `wait` relays a worker's code). */
export class ExitCode extends LooopError {
  override readonly exitCode: number;
  constructor(code: number, message = '') {
    super(message);
    this.exitCode = code;
  }
}

const ERRNO_TEXT: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
};

const SYSCALL_TEXT: Record<string, string> = { mkdir: 'create folder', open: 'open', rename: 'replace', unlink: 'remove', rmdir: 'remove', write: 'write', read: 'read', scandir: 'list' };

/** One human line; a raw errno (`EROFS: read-only file system, mkdir '/x/.lock'`) becomes "cannot create folder /x/.lock: the file system is read-only". */
export function errorMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof e.code === 'string' && e.path && ERRNO_TEXT[e.code]) {
    return `cannot ${SYSCALL_TEXT[e.syscall ?? ''] ?? e.syscall ?? 'use'} ${e.path}: ${ERRNO_TEXT[e.code]} (${e.code})`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A system error about a path (EROFS, ENOSPC, EACCES…) as a LooopError with one human line; anything else unchanged. */
export function asUserError(err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  return err instanceof Error && !(err instanceof LooopError) && typeof e.syscall === 'string' && e.path ? new LooopError(errorMessage(err)) : err;
}

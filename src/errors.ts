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

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

// Glue between yargs handlers and route.ts: a handler returns its exit code instead of exiting.
import type { CommandModule } from 'yargs';

let exitCode = 0;

export function takeExitCode(): number {
  const c = exitCode;
  exitCode = 0;
  return c;
}

/** Wraps a verb implementation `(args) => exit code` as a yargs-style handler. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs hands over ArgumentsCamelCase<any>
export function handle<A>(fn: (args: A) => Promise<number>): (args: any) => Promise<void> {
  return async (args) => {
    exitCode = await fn(args);
  };
}

// Declared here, not in main.ts: every verb file imports it, and main.ts imports every verb file.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' own default
export type Command = CommandModule<any, any>;

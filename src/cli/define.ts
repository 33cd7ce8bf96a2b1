// Glue for verbs still written as yargs CommandModules (see main.ts): a handler returns its exit code.
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = CommandModule<any, any>;

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

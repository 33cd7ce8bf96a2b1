// Whether a runner template's program is installed: one rule for the beat's decider and for workers.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { firstCommand } from '../runners.ts';

// Shell words and builtins: a template starting with one of them (`source ~/.env && claude -p`) runs
// something we cannot name before the shell does, so it is not judged here.
const SHELL_WORDS = new Set([
  'exec',
  'exit',
  'test',
  'env',
  'command',
  'cd',
  'source',
  '.',
  'set',
  'export',
  'eval',
  'time',
  'true',
  'false',
  'echo',
  'printf',
  'cat',
  ':',
  '!',
  '(',
  '{',
  '[',
  '[[',
  'if',
  'while',
  'for',
  'case',
  'until',
]);

/** The template's first program when it is not installed (not on PATH, or a path that is not executable), else null. */
export function missingCommand(template: string, cwd: string, PATH: string | undefined): string | null {
  const cmd = firstCommand(template);
  if (!cmd || cmd.startsWith('$') || /[\s"'`$(){}]/.test(cmd) || SHELL_WORDS.has(cmd)) return null;
  const candidates = isAbsolute(cmd)
    ? [cmd]
    : cmd.includes('/')
      ? [join(cwd, cmd)]
      : (PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, cmd));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return null;
    } catch {
      // keep looking
    }
  }
  return cmd;
}

/** Whether a program (a bare name looked up on PATH, or a path) is installed and executable. */
export function onPath(prog: string, PATH: string | undefined, cwd = process.cwd()): boolean {
  return missingCommand(prog, cwd, PATH) === null;
}

/** The full path of a program found on PATH (absolute folders only, an executable file), or null. */
export function which(cmd: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const full = join(dir, cmd);
    try {
      accessSync(full, constants.X_OK);
      if (statSync(full).isFile()) return full;
    } catch {
      // keep looking
    }
  }
  return null;
}

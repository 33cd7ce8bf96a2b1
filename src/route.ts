// Every verb but `version`: find the verb in the table, parse its words, run it, map errors to exit codes.
import { safeText } from './sanitize-text.ts';
import { LooopError } from './errors.ts';
import { parseWords } from './cli/parse.ts';
import { allVerbs, findVerb } from './cli/table.ts';

function report(err: unknown): number {
  if (err instanceof LooopError) {
    if (err.message) process.stderr.write(`looop: ${safeText(err.message)}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  // A system error (disk full, read-only or missing folder) is the user's to fix: say it in one line.
  if (e && typeof e.syscall === 'string') {
    process.stderr.write(`looop: ${safeText(e.message)}\n`);
    return 1;
  }
  process.stderr.write(`looop: internal error: ${safeText(e?.stack ?? String(err))}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const found = await findVerb(argv);
    if (!found) {
      const { topHelp } = await import('./cli/usage.ts');
      process.stdout.write(topHelp(await allVerbs()));
      return 0;
    }
    const args = parseWords(found.verb, found.rest, found.path);
    if (!args) {
      const { verbHelp } = await import('./cli/usage.ts');
      process.stdout.write(verbHelp(found.verb, found.path));
      return 0;
    }
    return await found.verb.run(args);
  } catch (err) {
    return report(err);
  }
}

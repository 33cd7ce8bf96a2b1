// Every verb but `version`: route argv (hot verbs skip yargs), map errors to exit codes, nothing else.
import { safeText } from './sanitize-text.ts';
import { LooopError } from './errors.ts';
import { fastRoute } from './cli/fast.ts';

// Islands are separate bundles with their own copy of errors.ts, so recognise LooopErrors by shape.
function isLooopError(err: unknown): err is LooopError {
  return err instanceof LooopError || (err instanceof Error && typeof (err as { exitCode?: unknown }).exitCode === 'number');
}

function report(err: unknown): number {
  if (isLooopError(err)) {
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
    const handled = await fastRoute(argv);
    if (handled !== null) return handled;
    const { runCli } = await import('./cli/main.ts');
    return await runCli(argv);
  } catch (err) {
    return report(err);
  }
}


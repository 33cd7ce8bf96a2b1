// `looop tick`: run exactly one beat and exit (cron / systemd timers).

interface TickArgs {
  json?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

export async function tick(args: TickArgs): Promise<number> {
  const { runTickCommand } = await import('../beat/tick-command.ts');
  return runTickCommand({ json: Boolean(args.json), dryRun: Boolean(args.dryRun), force: Boolean(args.force) });
}

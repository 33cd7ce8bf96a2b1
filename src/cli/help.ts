// `looop help` prints the full manual (through $PAGER on a terminal); `looop help <verb>` that verb's usage.
import { spawn } from 'node:child_process';
import { loadIsland } from '../island.ts';
import { VERSION } from '../version.ts';

async function page(text: string): Promise<void> {
  const pager = process.env.PAGER ?? 'less -FRX';
  if (!process.stdout.isTTY || !pager.trim()) {
    process.stdout.write(text);
    return;
  }
  await new Promise<void>((resolve) => {
    const child = spawn('sh', ['-c', pager], { stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', () => {
      process.stdout.write(text);
      resolve();
    });
    child.on('close', () => resolve());
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}

export async function help(args: { command?: string[] }): Promise<number> {
  if (args.command?.length) {
    const { findVerb, allVerbs } = await import('./table.ts');
    const { verbHelp, topHelp } = await import('./usage.ts');
    const found = await findVerb(args.command);
    process.stdout.write(found ? verbHelp(found.verb, found.path) : topHelp(await allVerbs()));
    return 0;
  }
  const { MANUAL } = await loadIsland(() => import('../manual-text.ts'));
  await page(MANUAL);
  return 0;
}

export async function version(): Promise<number> {
  process.stdout.write(`looop ${VERSION}\n`);
  return 0;
}

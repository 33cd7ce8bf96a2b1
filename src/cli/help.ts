// `looop help` prints the full manual (through $PAGER on a terminal); `looop help <verb>` that verb's usage.
import { spawn } from 'node:child_process';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';

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

async function help(args: { command?: string[] }): Promise<number> {
  if (args.command?.length) {
    const { runCli } = await import('./main.ts');
    return runCli([...args.command, '--help']);
  }
  const { MANUAL } = await import('../manual-text.ts');
  await page(MANUAL);
  return 0;
}

// yargs would answer `looop help` with its own usage; the fast path prints the manual first.
export const fastHelp: FastSpec = { run: () => help({}) };

export const helpCommands: Command[] = [
  {
    command: 'help [command..]',
    describe: 'the full manual; `help <command>` shows that command\'s options',
    handler: handle(help),
  },
];

// `looop answer`, `looop approve`, `looop deny`: the person's side of the trust boundary.
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

interface Args {
  target: string;
  words?: Array<string | number>;
}

async function answer(args: Args): Promise<number> {
  const text = (args.words ?? []).map(String).join(' ').trim();
  if (!text) throw new UsageError('answer needs the answer text: looop answer <ask-id> <text>');
  const { answerAsk } = await import('../approve.ts');
  const a = answerAsk(context(), args.target, text);
  process.stdout.write(`answered ${a.id}; the decider sees it at the next beat\n`);
  return 0;
}

async function approve(args: Args): Promise<number> {
  const ctx = context();
  const words = (args.words ?? []).map(String);
  const { approveAsk, approver } = await import('../approve.ts');
  if (args.target === 'sensor') {
    if (words.length !== 1) throw new UsageError('looop approve sensor <name>');
    const { approveSensor } = await import('../sensor-approval.ts');
    const hash = approveSensor(ctx, words[0]!, approver(ctx.env));
    process.stdout.write(`approved sensor ${words[0]} (sha256 ${hash.slice(0, 12)}); it runs from the next beat; a later change by the decider needs a new approval\n`);
    return 0;
  }
  if (words.length) throw new UsageError('looop approve <ask-id> | <worker> | sensor <name>');
  const { meansAsk } = await import('../asks.ts');
  if (meansAsk(ctx.paths, args.target)) {
    const { ask, output } = await approveAsk(ctx, args.target);
    if (output) process.stdout.write(output.endsWith('\n') ? output : output + '\n');
    process.stdout.write(`approved ${ask.id}: ran \`${ask.run}\` (exit ${ask.exit_code ?? 'by signal'})\n`);
    return ask.exit_code === 0 ? 0 : 1;
  }
  const { answerPermission } = await import('../fleet/permission.ts');
  const q = await answerPermission(ctx, args.target, true);
  process.stdout.write(`approved ${args.target}: ${q}\n`);
  return 0;
}

async function deny(args: Args): Promise<number> {
  const ctx = context();
  const why = (args.words ?? []).map(String).join(' ').trim();
  const { meansAsk } = await import('../asks.ts');
  if (meansAsk(ctx.paths, args.target)) {
    const { denyAsk } = await import('../approve.ts');
    const a = denyAsk(ctx, args.target, why);
    process.stdout.write(`denied ${a.id}\n`);
    return 0;
  }
  const { answerPermission } = await import('../fleet/permission.ts');
  const q = await answerPermission(ctx, args.target, false);
  process.stdout.write(`denied ${args.target}: ${q}\n`);
  return 0;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a yargs builder
const rest = (y: any) => y.positional('target', { type: 'string' }).positional('words', { type: 'string', array: true });

export const trustCommands: Command[] = [
  { command: 'answer <target> [words..]', describe: "answer the decider's question (an ask): looop answer a3 use the main branch", builder: rest, handler: handle(answer) },
  { command: 'approve <target> [words..]', describe: "approve: an ask's command (runs it once, unsandboxed), a sensor the decider wrote (approve sensor <name>), or a worker's permission prompt", builder: rest, handler: handle(approve) },
  { command: 'deny <target> [words..]', describe: "deny an ask (optional reason) or a worker's permission prompt", builder: rest, handler: handle(deny) },
];

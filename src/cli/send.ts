// `looop send <id> <text...>` and `looop key <id> <KEY...>`: typing into a worker (hot verbs).
import { readFileSync } from 'node:fs';
import { brief, journalByHand } from '../beat/by-hand.ts';
import { context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { sendKeys, sendText } from '../fleet/steer.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';

interface SendArgs {
  id: string;
  text: Array<string | number>;
  enter?: boolean;
  noEnter?: boolean;
  json?: boolean;
}

async function send(args: SendArgs): Promise<number> {
  const words = args.text.map(String);
  // A lone "-" reads the text from stdin (long briefs, exact bytes from a file).
  const text = words.length === 1 && words[0] === '-' ? readFileSync(0, 'utf8') : words.join(' ');
  const enter = !(args.noEnter || args.enter === false);
  const res = await sendText(context(), String(args.id), text, { enter });
  await journalByHand(context(), `sent to ${res.id}: ${brief(text)}${enter && !res.submitted ? ' (not submitted)' : ''}`);
  if (args.json) process.stdout.write(JSON.stringify(res) + '\n');
  if (enter && !res.submitted) {
    throw new ExitCode(1, `typed into "${res.id}" but it was not submitted: the text still sits in its input line after ${res.enters} Enter presses (look: looop shot ${res.id})`);
  }
  return 0;
}

interface KeyArgs {
  id: string;
  keys: Array<string | number>;
}

async function key(args: KeyArgs): Promise<number> {
  await sendKeys(context(), String(args.id), args.keys.map(String));
  await journalByHand(context(), `pressed keys in ${args.id}: ${brief(args.keys.map(String).join(' '))}`);
  return 0;
}

export const fastSend: FastSpec = { booleans: ['no-enter', 'json'], positionals: ['id'], rest: 'text', restRequired: true, run: (a) => send(a as unknown as SendArgs) };
export const fastKey: FastSpec = { positionals: ['id'], rest: 'keys', restRequired: true, run: (a) => key(a as unknown as KeyArgs) };

export const sendCommands: Command[] = [
  {
    command: 'send <id> <text...>',
    describe: 'type literal text into a worker, then Enter; multi-line or long text is pasted safely ("-" reads stdin). Exit 1 when the text was typed but not submitted',
    builder: (y) =>
      y
        .positional('id', { type: 'string' })
        .positional('text', { type: 'string', array: true })
        .option('enter', { type: 'boolean', default: true, describe: 'press Enter after the text (--no-enter: only type it)' })
        .option('json', { type: 'boolean', describe: 'print {id,bytes,mode,submitted,enters}' })
        .example('looop send fix-ci "run the tests again"', '')
        .example('looop send fix-ci - < answer.md', ''),
    handler: handle(send),
  },
  {
    command: 'key <id> <keys...>',
    describe: 'send named keys to a worker (tmux key names: Enter, Escape, Up, C-c, M-x, F1, ...)',
    builder: (y) => y.positional('id', { type: 'string' }).positional('keys', { type: 'string', array: true }),
    handler: handle(key),
  },
];

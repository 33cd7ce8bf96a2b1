// `looop send <id> <text...>` and `looop key <id> <KEY...>`: typing into a worker (hot verbs).
import { readFileSync } from 'node:fs';
import { brief, journalByHand } from '../beat/by-hand.ts';
import { context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { sendKeys, sendText } from '../fleet/steer.ts';

interface SendArgs {
  id: string;
  text: Array<string | number>;
  enter?: boolean;
  noEnter?: boolean;
  json?: boolean;
}

export async function send(args: SendArgs): Promise<number> {
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

export async function key(args: KeyArgs): Promise<number> {
  await sendKeys(context(), String(args.id), args.keys.map(String));
  await journalByHand(context(), `pressed keys in ${args.id}: ${brief(args.keys.map(String).join(' '))}`);
  return 0;
}

// `looop flag [id] [note...]` / `looop unflag [id]`: a worker asks for the human (hot verbs).
// Without an id, a worker's own $LOOOP_SESSION_ID is used.
import { brief, journalByHand } from '../beat/by-hand.ts';
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { clearFlag, cleanNote, raiseFlag } from '../fleet/flags.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import type { FastSpec } from './fast.ts';

interface FlagArgs {
  words?: Array<string | number>;
  json?: boolean;
}

function target(words: string[], verb: string): { id: string; rest: string[] } {
  const [first, ...rest] = words;
  const id = first ?? process.env.LOOOP_SESSION_ID;
  if (!id) throw new UsageError(`${verb} needs a worker id (or run it inside a worker, where $LOOOP_SESSION_ID is set)`);
  return { id, rest };
}

async function flag(args: FlagArgs): Promise<number> {
  const { id, rest } = target((args.words ?? []).map(String), 'flag');
  const note = cleanNote(rest.join(' '));
  await raiseFlag(context(), id, note);
  await journalByHand(context(), `flagged ${id}${note ? `: ${brief(note)}` : ''}`);
  if (args.json) process.stdout.write(JSON.stringify({ id, flag: note }) + '\n');
  else process.stdout.write(`⚑ ${id}${note ? `: ${note}` : ''} (waiting for the human; \`looop unflag ${id}\` clears it)\n`);
  return 0;
}

async function unflag(args: FlagArgs): Promise<number> {
  const { id, rest } = target((args.words ?? []).map(String), 'unflag');
  if (rest.length) throw new UsageError('unflag takes one worker id');
  await clearFlag(context(), id);
  await journalByHand(context(), `cleared the flag on ${id}`);
  if (args.json) process.stdout.write(JSON.stringify({ id, flag: null }) + '\n');
  else process.stdout.write(`flag cleared on ${id}\n`);
  return 0;
}

export const fastFlag: FastSpec = { booleans: ['json'], rest: 'words', run: flag };
export const fastUnflag: FastSpec = { booleans: ['json'], rest: 'words', run: unflag };

export const flagCommands: Command[] = [
  {
    command: 'flag [words...]',
    describe: 'mark a worker as waiting for the human: `flag <id> [note...]` (⚑ on the status line, bell, message to attached clients)',
    builder: (y) =>
      y
        .positional('words', { type: 'string', array: true, describe: 'the worker id, then the note' })
        .option('json', { type: 'boolean', describe: 'print {id,flag}' })
        .example('"$LOOOP_BIN" flag "$LOOOP_SESSION_ID" "merge PR #12?"', 'from inside a worker'),
    handler: handle(flag),
  },
  {
    command: 'unflag [id]',
    describe: "clear a worker's ⚑ (no id inside a worker: itself)",
    builder: (y) => y.positional('id', { type: 'string' }).option('json', { type: 'boolean', describe: 'print {id,flag}' }),
    handler: handle((a: { id?: string; json?: boolean }) => unflag({ words: a.id ? [a.id] : [], json: a.json })),
  },
];

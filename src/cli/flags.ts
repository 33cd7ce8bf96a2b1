// `looop flag [id] [note...]` / `looop unflag [id]`: a worker asks for the human (hot verbs).
// Without an id, a worker's own $LOOOP_SESSION_ID is used.
import { brief, journalByHand } from '../beat/by-hand.ts';
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { clearFlag, cleanNote, raiseFlag } from '../fleet/flags.ts';

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

export async function flag(args: FlagArgs): Promise<number> {
  const { id, rest } = target((args.words ?? []).map(String), 'flag');
  const note = cleanNote(rest.join(' '));
  await raiseFlag(context(), id, note);
  await journalByHand(context(), `flagged ${id}${note ? `: ${brief(note)}` : ''}`);
  if (args.json) process.stdout.write(JSON.stringify({ id, flag: note }) + '\n');
  else process.stdout.write(`⚑ ${id}${note ? `: ${note}` : ''} (waiting for the human; \`looop unflag ${id}\` clears it)\n`);
  return 0;
}

export async function unflag(args: FlagArgs): Promise<number> {
  const { id, rest } = target((args.words ?? []).map(String), 'unflag');
  if (rest.length) throw new UsageError('unflag takes one worker id');
  await clearFlag(context(), id);
  await journalByHand(context(), `cleared the flag on ${id}`);
  if (args.json) process.stdout.write(JSON.stringify({ id, flag: null }) + '\n');
  else process.stdout.write(`flag cleared on ${id}\n`);
  return 0;
}

/** `unflag [id]`: one optional id. */
export const unflagId = (a: { id?: string; json?: boolean }) => unflag({ words: a.id ? [a.id] : [], json: a.json });

// `looop schedules`, `looop schedule-add`, `looop schedule-drop`: the loop's own alarm clock (files in
// schedules/). Not to be confused with `looop schedule install|print|remove`, which sets up cron/systemd.
import { context } from '../context.ts';
import { InvalidInputError, NotFoundError, UsageError } from '../errors.ts';
import { beatClock } from '../beat/beat.ts';
import { dropSchedule, planSchedule, readSchedules, writeSchedule } from '../schedules/store.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';
import { localTime, table } from './human-time.ts';
import { parseDuration } from './parse.ts';

/** The CLI's one duration rule (parse.ts): "90", "90s", "15m", "2h", "1d" -> seconds. */
function durationOf(text: string, what: string): number {
  const s = parseDuration(String(text));
  if (s === null) throw new UsageError(`${what} "${text}" is not a duration (e.g. 90, 15m, 2h, 1d)`);
  return s;
}

interface AddArgs {
  name: string;
  note?: string[];
  in?: string;
  every?: string;
  at?: string;
  tz?: string;
  json?: boolean;
}

async function add(a: AddArgs): Promise<number> {
  const ctx = context();
  const now = beatClock(ctx.env)();
  const planned = planSchedule(
    {
      name: String(a.name),
      note: (a.note ?? []).map(String).join(' '),
      ...(a.in !== undefined ? { in_s: durationOf(a.in, '--in') } : {}),
      ...(a.every !== undefined ? { every_s: durationOf(a.every, '--every') } : {}),
      ...(a.at !== undefined ? { at: String(a.at) } : {}),
      ...(a.tz !== undefined ? { tz: String(a.tz) } : {}),
    },
    now,
  );
  if (typeof planned === 'string') throw new InvalidInputError(`schedule ${a.name}: ${planned.replace(/"in_s"/g, '--in').replace(/"every_s"/g, '--every').replace(/"at"/g, '--at')}`);
  writeSchedule(ctx.paths, planned);
  if (a.json) process.stdout.write(JSON.stringify(planned) + '\n');
  else process.stdout.write(`scheduled ${planned.name}: next due ${localTime(planned.due_at)}\n`);
  return 0;
}

async function list(a: { json?: boolean }): Promise<number> {
  const ctx = context();
  const { schedules, problems } = readSchedules(ctx.paths);
  for (const p of problems) process.stderr.write(`looop: ${p.file} ignored: ${p.problem}\n`);
  if (a.json) {
    process.stdout.write(JSON.stringify(schedules) + '\n');
    return 0;
  }
  if (!schedules.length) {
    process.stdout.write('no schedules (add one: looop schedule-add <name> --in 2h "check the deploy")\n');
    return 0;
  }
  const when = (s: (typeof schedules)[number]) => (s.every_s ? `every ${s.every_s}s` : s.at ? `at ${s.at}${s.tz ? ` (${s.tz})` : ''}` : 'once');
  const rows = [['NAME', 'NEXT DUE', 'TRIGGER', 'NOTE'], ...schedules.map((s) => [s.name, localTime(s.due_at), when(s), s.note])];
  process.stdout.write(table(rows) + '\n');
  return 0;
}

async function drop(a: { name: string }): Promise<number> {
  const ctx = context();
  if (!dropSchedule(ctx.paths, String(a.name))) throw new NotFoundError(`no schedule "${a.name}" (see \`looop schedules\`)`);
  process.stdout.write(`dropped schedule ${a.name}\n`);
  return 0;
}

export const scheduleFileCommands: Command[] = [
  {
    command: 'schedules',
    describe: 'list the loop\'s schedules (wake-ups the decider or you set) and when each is next due',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'one JSON array' }),
    handler: handle(list),
  },
  {
    command: 'schedule-add <name> [note...]',
    describe: 'wake the decider later: once (--in), recurring (--every) or at a time (--at cron | HH:MM | "YYYY-MM-DD HH:MM")',
    builder: (y) =>
      y
        .positional('name', { type: 'string' })
        .positional('note', { type: 'string', array: true, describe: 'what the decider should do then' })
        .option('in', { type: 'string', describe: 'once, after this long (>= 60s): 90m, 2h, 1d' })
        .option('every', { type: 'string', describe: 'every period (>= 60s): 15m, 1h' })
        .option('at', { type: 'string', describe: 'cron "0 9 * * 1-5", daily "09:00", or once "2026-12-04 09:00" (local time)' })
        .option('tz', { type: 'string', describe: 'IANA time zone for --at (default: this machine\'s)' })
        .option('json', { type: 'boolean', describe: 'print the schedule as JSON' })
        .example('looop schedule-add inbox --at "0 9 * * 1-5" read the inbox', 'every weekday at 9:00')
        .example('looop schedule-add deploy --in 2h check the deploy', 'once, in two hours'),
    handler: handle(add),
  },
  {
    command: 'schedule-drop <name>',
    describe: 'remove a schedule',
    builder: (y) => y.positional('name', { type: 'string' }),
    handler: handle(drop),
  },
];

// The human channel: `looop inbox [ack]`, `looop stop`, `looop poke`, `looop doctor`.
import { context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { useColor } from '../events.ts';
import type { Command } from './define.ts';
import { handle } from './define.ts';

async function inboxList(a: { all?: boolean; json?: boolean }): Promise<number> {
  const ctx = context();
  const { viewInbox, formatInbox } = await import('../inbox/view.ts');
  const v = viewInbox(ctx.paths, Boolean(a.all));
  process.stdout.write(a.json ? JSON.stringify(v) + '\n' : formatInbox(v, useColor()));
  return 0;
}

async function inboxAck(a: { which: string; json?: boolean }): Promise<number> {
  const ctx = context();
  const which = a.which === 'all' ? 'all' : Number(a.which);
  if (which !== 'all' && !(Number.isInteger(which) && which > 0)) throw new UsageError(`inbox ack takes a record number (#n in looop inbox) or "all", not "${a.which}"`);
  const { ack } = await import('../inbox/inbox.ts');
  const n = ack(ctx.paths, which);
  if (n < 0) throw new UsageError(`no inbox record #${which} (see looop inbox --all)`);
  process.stdout.write(a.json ? JSON.stringify({ acked: n }) + '\n' : `marked ${n} record(s) read\n`);
  return 0;
}

async function stop(a: { json?: boolean }): Promise<number> {
  const { stopLoop } = await import('../control/loop-control.ts');
  const r = await stopLoop(context());
  if (a.json) process.stdout.write(JSON.stringify(r) + '\n');
  else if (r.pulse === null) process.stdout.write('no pulse runs on this profile (a timer, if installed, keeps beating: looop schedule remove)\n');
  else process.stdout.write(`stopped the pulse (pid ${r.pulse}) and ${r.workers.length} worker(s); windows and transcripts are kept (looop ls)\n`);
  return 0;
}

async function poke(a: { json?: boolean }): Promise<number> {
  const { poke: doPoke } = await import('../control/loop-control.ts');
  const r = await doPoke(context());
  if (a.json) process.stdout.write(JSON.stringify(r) + '\n');
  else if (r.pulse !== null) process.stdout.write(`poked the pulse (pid ${r.pulse}): it decides within a second (the budget and the hourly cap still hold)\n`);
  else process.stdout.write('no pulse runs: the next beat (looop tick, or the timer) decides regardless of the backoff and the world hash\n');
  return 0;
}

async function doctor(a: { json?: boolean }): Promise<number> {
  const { runDoctor, formatDoctor } = await import('../doctor/doctor.ts');
  const checks = await runDoctor(context());
  process.stdout.write(a.json ? JSON.stringify({ ok: !checks.some((c) => c.level === 'fail'), checks }) + '\n' : formatDoctor(checks, useColor()));
  return checks.some((c) => c.level === 'fail') ? 1 : 0;
}

export const humanCommands: Command[] = [
  {
    command: 'inbox',
    describe: 'what needs you: flags, notifications, failure streaks, holds (unread first); `inbox ack <n|all>` marks read',
    builder: (y) =>
      y
        .option('all', { type: 'boolean', describe: 'read records too' })
        .option('json', { type: 'boolean', describe: 'one JSON document {unread,total,items}' })
        .command({
          command: 'ack <which>',
          describe: 'mark record #n (or all) read',
          builder: (yy) => yy.positional('which', { type: 'string', describe: 'a record number or "all"' }).option('json', { type: 'boolean' }),
          handler: handle(inboxAck),
        }),
    handler: handle(inboxList),
  },
  {
    command: 'stop',
    describe: 'stop the running pulse and, as its foreground would, every worker (from any shell)',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'print {pulse,workers}' }),
    handler: handle(stop),
  },
  {
    command: 'poke',
    describe: 'wake the running pulse now for one beat that ignores the backoff and the world hash (budget and hourly cap still hold)',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'print {pulse}' }),
    handler: handle(poke),
  },
  {
    command: 'doctor',
    describe: 'check tmux, runners, claude first-run state, schedule, sandbox, disk and git: ok / warn / fail with the fix',
    builder: (y) => y.option('json', { type: 'boolean', describe: 'one JSON document {ok,checks}' }),
    handler: handle(doctor),
  },
];

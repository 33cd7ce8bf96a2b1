// `looop status` for humans: the whole story on one screen.
import { fleetTable } from '../fleet/format.ts';
import { formatAge, localTime, secondsSince, table, terminalWidth, usd } from '../format.ts';
import { everyText } from '../schedule/render.ts';
import type { StatusReport } from './gather.ts';
import { safeDeep } from '../sanitize-text.ts';
import { inboxLine, safe } from '../inbox/view.ts';

export function formatStatus(raw: StatusReport, color: boolean, now = new Date(), width = terminalWidth()): string {
  // Failure reasons, flag notes and lease notes come from the LLM, sensors and workers.
  const s = safeDeep(raw);
  const c = (code: string, t: string) => (color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const out: string[] = [];
  const row = (label: string, text: string) => out.push(`${label.padEnd(10)} ${text}`);
  const ago = (ts: string) => `${formatAge(secondsSince(ts, now))} ago`;

  // What needs the person comes first.
  if (s.inbox.unread) {
    out.push(c('1;35', `✉ ${s.inbox.unread} unread in the inbox`) + '  (looop inbox; looop inbox ack all)');
    for (const r of s.inbox.newest) out.push('  ' + inboxLine(r));
    out.push('');
  }
  row('profile', `${s.data_dir}  (looop ${s.version})`);
  if (s.config_error) row('config', c('31', s.config_error));
  const pulse = s.pulse.alive === null ? c('33', 'unknown (tmux could not be asked)') : s.pulse.alive ? c('32', `running${s.pulse.pid ? ` (pid ${s.pulse.pid}; looop stop ends it)` : ''}`) : 'not running';
  row('pulse', pulse);
  const timer = s.schedule.length
    ? s.schedule.map((t) => `${t.kind} ${t.name}${t.every_s ? ` every ${everyText(t.every_s)}` : ''}`).join(', ')
    : 'none';
  row('timer', timer + (s.driver ? '' : c('33', '  — nothing runs beats: start `looop`, or `looop schedule install`')));

  if (s.last_beat) {
    const b = s.last_beat;
    const colour = b.result === 'failed' ? '31' : b.result === 'acted' ? '32' : b.result === 'held' ? '33' : '0';
    const why = b.reason ? `: ${b.reason}` : '';
    row('last beat', `${localTime(b.ts)} (${ago(b.ts)}) ${c(colour, b.result)}${why}${b.run_id ? `  [run ${b.run_id}]` : ''}`);
  } else row('last beat', 'none yet');
  if (s.last_action) row('last move', `${s.last_action.text}  (${s.last_action.at})`);
  if (s.next_beat) row('next beat', `${localTime(s.next_beat.at)} (${s.next_beat.in_s >= 0 ? `in ${formatAge(s.next_beat.in_s)}` : `due ${formatAge(-s.next_beat.in_s)} ago`}, by the ${s.driver})`);
  if (s.backoff) {
    const f = s.backoff.failures === null ? 'an unreadable backoff file (holds the loop until fixed or removed)' : `${s.backoff.failures} failed beat(s)`;
    row('backoff', c('33', s.backoff.holding && s.backoff.until ? `${f}; deciding again after ${localTime(s.backoff.until)}` : `${f}; the next beat may decide`));
  } else row('backoff', 'none');
  if (s.held) row('held', c('31', s.held));
  for (const g of s.ignored_goals) row('goal', c('33', `goals/${g.file} ${g.problem}`));
  if (s.git) row('git', c('33', s.git));
  for (const h of s.holds) row('held', c('31', `${h.reason} (since ${localTime(h.since)})`));
  if (s.last_failure) row('failure', c('31', `${s.last_failure.reason}${s.last_failure.ts ? ` (${ago(s.last_failure.ts)})` : ''}`));
  const cap = s.spend.cap_usd === null ? ' (no daily cap)' : ` of ${usd(s.spend.cap_usd)} daily cap`;
  row('spend', `${usd(s.spend.today_usd)} today${cap}${s.spend.paused_until ? c('33', ` — deciding paused until ${localTime(s.spend.paused_until)}`) : ''}`);

  if (s.flags.length) {
    out.push('');
    for (const f of s.flags) out.push(c('1;33', `⚑ ${f.id}${f.note ? `: ${f.note}` : ''}`) + `   (looop attach ${f.id})`);
  }
  if (s.asks?.length || s.pending_sensors?.length) {
    out.push('');
    for (const a of s.asks ?? []) out.push(c('1;33', `? ${a.line}`));
    for (const n of s.pending_sensors ?? []) out.push(c('1;33', `? sensor ${n}: pending approval (written by the decider; review sensors/${n}.sh, then looop approve sensor ${n})`));
  }
  out.push('');
  if (s.workers === null) out.push(`workers    ${c('31', `unknown: ${s.fleet_error}`)}`);
  else if (!s.workers.length) out.push('workers    none');
  else {
    out.push(`workers    ${s.workers.filter((w) => w.alive).length} running of ${s.workers.length}`);
    out.push(fleetTable(s.workers, color, width - 2).replace(/\n$/, '').split('\n').map((l) => '  ' + l).join('\n'));
  }
  if (s.claims.length) {
    out.push(`leases     ${s.claims.length}`);
    const rows = [['NAME', 'SESSION', 'AGE', 'NOTE']];
    for (const l of s.claims) rows.push([l.name, l.session + (l.external ? ' (external)' : l.alive === false ? ' (gone: reaped next beat)' : ''), formatAge(secondsSince(l.ts, now)), l.note ?? '']);
    out.push(table(rows, { width: width - 2 }).split('\n').map((l) => '  ' + l).join('\n'));
  } else out.push('leases     none');
  if (s.journal.length) {
    out.push('', 'journal    (looop journal)');
    for (const l of s.journal) out.push('  ' + safe(l.slice(2)));
  }
  const empty = s.workers !== null && !s.workers.length && !s.pulse.alive;
  out.push('', `attach     ${empty ? 'no workers yet' : s.attach}`);
  return out.join('\n') + '\n';
}

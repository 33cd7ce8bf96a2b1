// Schedules' time arithmetic: cron, daily times and local one-shots in named zones, across midnight and DST.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { nextCronMatch, parseAt, parseCron, wallOf, type CronSpec } from '../../src/schedules/when.ts';
import { advance, planSchedule, scheduleReading, secondsToNextDue, type Schedule } from '../../src/schedules/store.ts';

const cron = (e: string) => parseCron(e) as CronSpec;
const iso = (d: Date | null) => d?.toISOString() ?? null;

test('a weekday 9:00 cron fires on the next weekday, across midnight and a weekend (Europe/Berlin)', () => {
  // Friday 2026-12-04 23:59 Berlin (22:59 UTC) -> Monday 2026-12-07 09:00 Berlin (08:00 UTC).
  assert.equal(iso(nextCronMatch(cron('0 9 * * 1-5'), new Date('2026-12-04T22:59:00Z'), 'Europe/Berlin')), '2026-12-07T08:00:00.000Z');
  // Daily 00:05 just after midnight local, asked at 23:58 the day before.
  assert.equal(iso(nextCronMatch(cron('5 0 * * *'), new Date('2026-12-01T22:58:00Z'), 'Europe/Berlin')), '2026-12-01T23:05:00.000Z');
});

test('a daily cron keeps its wall time across the spring-forward and fall-back DST changes', () => {
  const nine = cron('0 9 * * *');
  // Berlin goes from UTC+1 to UTC+2 on 2026-03-29: 09:00 is 08:00Z before, 07:00Z after.
  assert.equal(iso(nextCronMatch(nine, new Date('2026-03-28T09:00:00Z'), 'Europe/Berlin')), '2026-03-29T07:00:00.000Z');
  // And back on 2026-10-25.
  assert.equal(iso(nextCronMatch(nine, new Date('2026-10-24T08:00:00Z'), 'Europe/Berlin')), '2026-10-25T08:00:00.000Z');
  // 02:30 does not exist on spring-forward day in Berlin: the next 02:30 is the day after.
  assert.equal(iso(nextCronMatch(cron('30 2 * * *'), new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin')), '2026-03-30T00:30:00.000Z');
});

test('the repeated hour of a fall-back fires a schedule once, not twice', () => {
  const s = planSchedule({ name: 'late', at: '30 2 * * *', tz: 'Europe/Berlin' }, new Date('2026-10-24T12:00:00Z')) as Schedule;
  // 02:30 CEST on 2026-10-25 is 00:30Z; the repeated 02:30 CET (01:30Z) must be skipped.
  assert.equal(s.due_at, '2026-10-25T00:30:00.000Z');
  const next = advance(s, new Date('2026-10-25T00:30:05Z'))!;
  assert.equal(next.due_at, '2026-10-26T01:30:00.000Z');
});

test('America/New_York: "HH:MM" is daily at that local time', () => {
  const at = parseAt('07:15', 'America/New_York');
  assert.ok(typeof at !== 'string' && at.kind === 'cron');
  assert.equal(iso(nextCronMatch(at.cron, new Date('2026-11-01T05:00:00Z'), 'America/New_York')), '2026-11-01T12:15:00.000Z');
});

test('a local one-shot time names its instant in the zone', () => {
  const s = planSchedule({ name: 'fri', at: '2026-12-04 09:00', tz: 'Asia/Tokyo' }, new Date('2026-12-01T00:00:00Z')) as Schedule;
  assert.equal(s.due_at, '2026-12-04T00:00:00.000Z');
  assert.equal(advance(s, new Date('2026-12-04T00:00:01Z')), null, 'a one-shot is done once decided');
  assert.equal(wallOf(new Date(s.due_at), 'Asia/Tokyo').hour, 9);
});

test('every_s advances by whole periods and fires once for periods missed while asleep', () => {
  const s = planSchedule({ name: 'poll', every_s: 600 }, new Date('2026-12-01T10:00:00Z')) as Schedule;
  assert.equal(s.due_at, '2026-12-01T10:10:00.000Z');
  assert.equal(advance(s, new Date('2026-12-01T10:10:02Z'))!.due_at, '2026-12-01T10:20:00.000Z');
  assert.equal(advance(s, new Date('2026-12-01T11:03:00Z'))!.due_at, '2026-12-01T11:10:00.000Z');
});

test('bad schedules are refused with the reason', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  assert.match(planSchedule({ name: 'x' }, now) as string, /exactly one of "in_s", "every_s" or "at" \(got none\)/);
  assert.match(planSchedule({ name: 'x', in_s: 100, every_s: 100 }, now) as string, /got in_s and every_s/);
  assert.match(planSchedule({ name: 'x', every_s: 30 }, now) as string, /"every_s" must be .* >= 60/);
  assert.match(planSchedule({ name: 'x', in_s: 59 }, now) as string, /"in_s" must be .* >= 60/);
  assert.match(planSchedule({ name: 'x', at: '61 * * * *' }, now) as string, /minute "61" is outside 0-59/);
  assert.match(planSchedule({ name: 'x', at: 'tomorrow-ish' }, now) as string, /needs 5 fields/);
  assert.match(planSchedule({ name: 'x', at: '09:00', tz: 'Mars/Olympus' }, now) as string, /unknown time zone/);
  assert.match(planSchedule({ name: 'x', at: '2020-01-01 09:00' }, now) as string, /already past/);
  assert.match(planSchedule({ name: 'bad name', in_s: 60 }, now) as string, /whitespace|letters/);
});

test('the reading: due schedules are the signal; upcoming ones only detail; the next due time bounds the sleep', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const due = { name: 'a', note: 'now', created_at: now.toISOString(), in_s: 60, due_at: '2026-12-01T09:59:00.000Z' };
  const later = { name: 'b', note: 'later', created_at: now.toISOString(), in_s: 60, due_at: '2026-12-01T10:01:10.000Z' };
  const r = scheduleReading([due, later], now);
  assert.deepEqual(r.signal, [{ name: 'a', note: 'now', due: due.due_at }]);
  assert.deepEqual(scheduleReading([later], now).signal, [], 'nothing due: an empty signal, no wake-up');
  assert.equal(secondsToNextDue([due, later], now), 70);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, table, usd, useColor } from '../src/format.ts';
import { fleetTable } from '../src/fleet/format.ts';
import type { WorkerInfo } from '../src/fleet/types.ts';

const tty = { isTTY: true, columns: 40 } as unknown as NodeJS.WriteStream;

test('a table fits the terminal width instead of wrapping: the last column is cut first', () => {
  const rows = [
    ['ID', 'NOTE'],
    ['w1', 'a long note that would wrap a narrow terminal for sure'],
  ];
  const out = table(rows, { width: 30 });
  for (const line of out.split('\n')) assert.ok([...line].length <= 30, line);
  assert.match(out, /…$/);
  assert.equal(table(rows), 'ID  NOTE\nw1  a long note that would wrap a narrow terminal for sure');
});

test('when the last column is not enough, the widest other column gives way', () => {
  const rows = [['a-very-long-identifier-for-a-worker', 'x', 'y']];
  const out = table(rows, { width: 20 });
  assert.ok([...out].length <= 20, out);
});

test('the fleet table fits, and colour is added after padding', () => {
  const w = { id: 'worker-with-a-long-name', state: 'working', source: 'tmux', exit_code: null, age_s: 3700, idle_s: 5, flag: 'needs a human decision about the release' } as unknown as WorkerInfo;
  const out = fleetTable([w], false, 50);
  for (const line of out.trimEnd().split('\n')) assert.ok([...line].length <= 50, line);
  assert.match(fleetTable([w], true, 200), /\x1b\[32mworking/);
});

test('colour only on a TTY and never with NO_COLOR', () => {
  assert.equal(useColor(tty, {}), true);
  assert.equal(useColor(tty, { NO_COLOR: '1' }), false);
  assert.equal(useColor({ isTTY: false } as unknown as NodeJS.WriteStream, {}), false);
});

test('durations and money', () => {
  assert.equal(formatAge(3700), '1h1m');
  assert.equal(usd(1.5), '$1.50');
  assert.equal(usd(0.01234, 4), '$0.0123');
});

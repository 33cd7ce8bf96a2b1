// DIFF: canonical hashing of the world, the wake part of a reading, WHAT CHANGED and flap streaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, parseReading, wakePart } from '../../src/beat/canonical.ts';
import { FLAP_AT, policyHash, updateFlaps, whatChanged, worldHash, type FlapEntry, type World } from '../../src/beat/world.ts';

function world(over: Partial<World> = {}): World {
  return {
    playbook: '# PLAYBOOK\nship it\n',
    goals: { alpha: 'do alpha\n', beta: 'do beta\n' },
    signals: { today: wakePart('{"signal":{"date":"2025-03-14"}}') },
    ...over,
  };
}

test('canonical JSON sorts keys at every depth, so reordering never changes the hash', () => {
  const a = { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null } };
  const b = { a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"x":null,"y":[1,{"p":1,"q":2}]},"b":1}');
  const w1 = world({ signals: { s: wakePart('{"signal":{"open":3,"author":"me"}}') } });
  const w2 = world({ signals: { s: wakePart('{ "signal" : { "author":"me", "open":3 } }') } });
  assert.equal(worldHash(w1), worldHash(w2));
});

test('canonical JSON keeps array order (order inside a list is meaningful)', () => {
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('wakePart uses only `signal` when the reading is an object with a signal key', () => {
  assert.equal(wakePart('{"signal":{"n":1},"detail":{"age":5}}'), '{"n":1}');
  assert.equal(wakePart('{"signal":null,"detail":"x"}'), 'null');
});

test('wakePart uses the whole reading when there is no signal key', () => {
  assert.equal(wakePart('{"n":1,"detail":{"age":5}}'), '{"detail":{"age":5},"n":1}');
  assert.equal(wakePart('[3,1]'), '[3,1]');
  assert.equal(wakePart('42\n'), '42');
});

test('wakePart counts non-JSON output raw, distinct from the same text as a JSON string', () => {
  assert.equal(wakePart('hello world\n'), 'raw:hello world\n');
  assert.notEqual(wakePart('hello'), wakePart('"hello"'));
  assert.equal(wakePart(''), 'raw:');
  assert.deepEqual(parseReading('{"a":'), { json: false, value: '{"a":' });
});

test('a change only in `detail` does not change worldHash', () => {
  const before = world({ signals: { ci: wakePart('{"signal":{"red":0},"detail":{"checked_at":"10:00"}}') } });
  const after = world({ signals: { ci: wakePart('{"signal":{"red":0},"detail":{"checked_at":"10:05","extra":[1]}}') } });
  assert.equal(worldHash(before), worldHash(after));
});

test('a signal change changes worldHash but not policyHash', () => {
  const before = world({ signals: { ci: wakePart('{"signal":{"red":0}}') } });
  const after = world({ signals: { ci: wakePart('{"signal":{"red":1}}') } });
  assert.notEqual(worldHash(before), worldHash(after));
  assert.equal(policyHash(before), policyHash(after));
});

test('a new or vanished sensor changes worldHash', () => {
  const base = world();
  assert.notEqual(worldHash(base), worldHash(world({ signals: { ...base.signals, extra: '1' } })));
  assert.notEqual(worldHash(base), worldHash(world({ signals: {} })));
});

test('goal and PLAYBOOK changes change policyHash (and so worldHash)', () => {
  const base = world();
  const variants = [
    world({ playbook: base.playbook + 'more\n' }),
    world({ goals: { ...base.goals, alpha: 'do alpha differently\n' } }),
    world({ goals: { ...base.goals, gamma: 'new\n' } }),
    world({ goals: { alpha: base.goals.alpha! } }),
  ];
  for (const v of variants) {
    assert.notEqual(policyHash(v), policyHash(base));
    assert.notEqual(worldHash(v), worldHash(base));
  }
  // Goal order on disk does not matter.
  assert.equal(policyHash(world({ goals: { beta: 'do beta\n', alpha: 'do alpha\n' } })), policyHash(base));
});

test('WHAT CHANGED on the first decision says there is nothing to compare with', () => {
  const r = whatChanged(null, world());
  assert.equal(r.cut, 0);
  assert.match(r.lines.join('\n'), /first decision/);
});

test('WHAT CHANGED lists new, changed and gone goals, sensors and the PLAYBOOK', () => {
  const base = world({ signals: { ci: '{"red":0}', old: '1', today: '"mon"' } });
  const now = world({
    playbook: base.playbook + 'new rule\n',
    goals: { alpha: 'do alpha better\n', gamma: 'fresh\n' },
    signals: { ci: '{"red":2}', today: '"mon"', mail: '{"unread":3}' },
  });
  const { lines, cut } = whatChanged(base, now);
  assert.equal(cut, 0);
  const text = lines.join('\n');
  assert.match(text, /^PLAYBOOK changed \(\+1\/-0 lines\)$/m);
  assert.match(text, /^goal alpha: changed/m);
  assert.match(text, /^goal gamma: new$/m);
  assert.match(text, /^goal beta: gone/m);
  assert.match(text, /^sensor ci: \{"red":0\} -> \{"red":2\}$/m);
  assert.match(text, /^sensor mail: new reading \{"unread":3\}$/m);
  assert.match(text, /^sensor old: gone$/m);
  assert.doesNotMatch(text, /today/, 'an unchanged sensor is not listed');
});

test('WHAT CHANGED on the same world says it is a recheck', () => {
  const w = world();
  assert.match(whatChanged(w, w).lines.join('\n'), /same world/);
});

test('WHAT CHANGED stays within 200 lines, the cut marker included, and reports how many were left out', () => {
  const signals: Record<string, string> = {};
  for (let i = 0; i < 300; i++) signals[`s${String(i).padStart(3, '0')}`] = String(i);
  const { lines, cut } = whatChanged({ playbook: '', goals: {}, signals: {} }, world({ playbook: '', goals: {}, signals }));
  assert.ok(cut > 0);
  assert.equal(lines.length + cut, 300, 'every change is either listed or counted');
  assert.ok(lines.length + 1 <= 200, `lines ${lines.length} plus the marker the prompt adds exceed 200`);
});

test('WHAT CHANGED shortens a huge reading instead of pasting it whole', () => {
  const big = '"' + 'x'.repeat(5000) + '"';
  const { lines } = whatChanged({ playbook: '', goals: {}, signals: { s: '1' } }, world({ playbook: '', goals: {}, signals: { s: big } }));
  assert.ok(lines[0]!.length < 700);
  assert.match(lines[0]!, /5002 chars/);
});

/** Feeds a sequence of signal values for one sensor, returning each beat's result. */
function feed(values: string[]) {
  let prev: Record<string, FlapEntry> = {};
  return values.map((v) => {
    const r = updateFlaps(prev, { s: v });
    prev = r.next;
    return r;
  });
}

test('flap streak: +1 when the signal changed, −1 when unchanged, floor 0; a new sensor starts at 0', () => {
  const r = feed(['a', 'b', 'c', 'c', 'c', 'c', 'd']);
  assert.deepEqual(r.map((x) => x.next.s!.streak), [0, 1, 2, 1, 0, 0, 1]);
});

test(`a sensor is flapping at a streak of ${FLAP_AT}: the event (newlyFlapping) fires only once`, () => {
  assert.equal(FLAP_AT, 5);
  const r = feed(['0', '1', '2', '3', '4', '5', '6', '7']);
  assert.deepEqual(r.map((x) => x.next.s!.streak), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(r.map((x) => x.flapping.includes('s')), [false, false, false, false, false, true, true, true]);
  assert.deepEqual(r.map((x) => x.newlyFlapping.includes('s')), [false, false, false, false, false, true, false, false]);
});

test('a flapping sensor stays listed while its streak is ≥ 5 and stops once it calms below', () => {
  const r = feed(['0', '1', '2', '3', '4', '5', '6', '6', '6']);
  assert.deepEqual(r.map((x) => x.next.s!.streak), [0, 1, 2, 3, 4, 5, 6, 5, 4]);
  assert.deepEqual(r.map((x) => x.flapping.length), [0, 0, 0, 0, 0, 1, 1, 1, 0]);
  assert.equal(r.filter((x) => x.newlyFlapping.length).length, 1);
});

test('flap streaks are per sensor and a vanished sensor is forgotten', () => {
  let prev: Record<string, FlapEntry> = {};
  for (let i = 0; i < 6; i++) prev = updateFlaps(prev, { noisy: String(i), calm: 'same' }).next;
  assert.equal(prev.noisy!.streak, 5);
  assert.equal(prev.calm!.streak, 0);
  const r = updateFlaps(prev, { calm: 'same' });
  assert.deepEqual(Object.keys(r.next), ['calm']);
});

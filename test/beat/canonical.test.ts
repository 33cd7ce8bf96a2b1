// The wake part of a reading: big integers compare by their text, never by a rounded double.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReading, wakePart } from '../../src/beat/canonical.ts';

test('integers beyond 2^53 (64-bit ids, nanosecond clocks) that differ give different wake parts', () => {
  assert.notEqual(wakePart('{"signal":{"last_msg_id":9007199254740992}}'), wakePart('{"signal":{"last_msg_id":9007199254740993}}'));
  assert.equal(wakePart('{"signal":{"n":1796140452134770584}}'), '{"n":1796140452134770584}');
});

test('ordinary numbers, strings that look like numbers and key order keep their canonical form', () => {
  assert.equal(wakePart('{"signal":{"b":2,"a":1.50}}'), '{"a":1.5,"b":2}');
  assert.equal(wakePart('{"signal":"9007199254740993 and \\" 12345678901234567890"}'), '"9007199254740993 and \\" 12345678901234567890"');
  assert.equal(wakePart('{"signal":[1,2e3,-4]}'), '[1,2000,-4]');
});

test('non-JSON output still counts raw', () => {
  assert.equal(parseReading('hello world, not json').json, false);
  assert.equal(wakePart('hello'), 'raw:hello');
});

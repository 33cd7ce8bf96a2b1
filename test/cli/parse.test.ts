import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, parseDuration, parseWords, type Verb } from '../../src/cli/parse.ts';
import { VERBS } from '../../src/cli/table.ts';
import { fromYargs } from '../../src/cli/main.ts';
import { handle, type Command } from '../../src/cli/define.ts';

const send: Verb = {
  name: 'send',
  args: '<id> <text...>',
  describe: 'x',
  options: { enter: { type: 'boolean', default: true }, json: { type: 'boolean' }, tail: { type: 'number' }, ttl: { type: 'duration' }, follow: { type: 'boolean', alias: 'f' } },
  run: async () => 0,
};
const parse = (argv: string[]) => parseWords(send, argv, 'send');
const fails = (argv: string[], re: RegExp) => assert.throws(() => parse(argv), (e: Error & { exitCode?: number }) => e.exitCode === 2 && re.test(e.message) && /\(see looop send --help\)$/.test(e.message));

test('positionals, the rest, "-" and "--"', () => {
  assert.deepEqual(parse(['w1', '-']), { id: 'w1', text: ['-'], enter: true });
  assert.deepEqual(parse(['w1', '--', '--json', 'x'])!.text, ['--json', 'x']);
  assert.deepEqual(parse(['w1', 'a', '--json', 'b'])!.text, ['a', 'b']);
  fails([], /missing <id>/);
  fails(['w1'], /missing <text\.\.\.>/);
});

test('switches, values and their types', () => {
  assert.equal(parse(['w1', 'x', '--no-enter'])!.enter, false);
  assert.equal(parse(['w1', 'x', '-f'])!.follow, true);
  assert.equal(parse(['w1', 'x', '--tail=5'])!.tail, 5);
  assert.equal(parse(['w1', 'x', '--tail', '2.5'])!.tail, 2.5);
  assert.equal(parse(['w1', 'x', '--ttl', '1h'])!.ttl, 3600);
  assert.equal(parse(['w1', 'x', '--ttl', '90'])!.ttl, 90);
  for (const bad of ['1e3', '0x10', '', 'abc']) fails(['w1', 'x', '--tail', bad], /--tail takes a number/);
  fails(['w1', 'x', '--ttl', '1 fortnight'], /--ttl takes a duration/);
  fails(['w1', 'x', '--tail'], /--tail needs a value/);
  fails(['w1', 'x', '--nope'], /unknown option --nope/);
  fails(['w1', 'x', '--nope=1'], /unknown option --nope$|unknown option --nope /);
  fails(['w1', 'x', '-z'], /unknown option -z/);
  assert.equal(parse(['w1', 'x', '--help']), null);
  assert.equal(parseDuration('2d'), 172800);
  assert.equal(parseDuration('1.5m'), 90);
});

test('did you mean', () => {
  assert.equal(closest('sttaus', ['status', 'stop', 'send']), 'status');
  assert.equal(closest('xyzzy', ['status', 'send']), null);
});

test('every verb in the table declares its positionals in a form the parser reads, and names are unique', () => {
  const names = VERBS.flatMap((v) => [v.name, ...(v.aliases ?? [])]);
  assert.equal(new Set(names).size, names.length);
  for (const v of VERBS) for (const s of [v, ...(v.subcommands ?? [])]) assert.doesNotThrow(() => parseWords(s, ['--help'], s.name));
});

test('a yargs CommandModule reads into the same shape without loading yargs', async () => {
  let got: unknown;
  const cmd: Command = {
    command: 'ask <id> <question..>',
    describe: 'ask the human',
    builder: (y) => y.positional('id', { type: 'string', describe: 'worker' }).option('timeout', { type: 'number', default: 5 }).option('json', { type: 'boolean' }).example('looop ask w1 why', ''),
    handler: handle(async (a: unknown) => {
      got = a;
      return 7;
    }),
  };
  const v = fromYargs(cmd);
  assert.equal(v.name, 'ask');
  assert.equal(v.args, '<id> <question...>');
  assert.deepEqual(Object.keys(v.options!), ['timeout', 'json']);
  const args = parseWords(v, ['w1', 'why', 'not', '--json'], 'ask')!;
  assert.equal(await v.run(args), 7);
  assert.deepEqual(got, { id: 'w1', question: ['why', 'not'], json: true, timeout: 5, _: [], $0: 'looop' });
});

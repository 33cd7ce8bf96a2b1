// THE list of verbs: each declared once (positionals, options, help, examples, a lazily loaded
// handler). Parsing (parse.ts), --help (usage.ts) and the bash/zsh completion (completion-script.ts)
// are all derived from it.
//
// Moving a yargs CommandModule (a file registered in main.ts's `groups`) into this table is mechanical:
//   command: 'ask <id> <question...>'      -> name: 'ask', args: '<id> <question...>'
//   describe: '...' (false = hidden)       -> describe: '...'
//   .positional('id', { describe })        -> positionals: { id: { describe, completes: 'ids' } }
//   .option('ttl', { type, describe, default, alias, choices })
//                                          -> options: { ttl: { type, describe, default, alias, choices } }
//                                             (type 'duration' for anything in seconds: takes 30s, 5m, 1h)
//   .example(cmd, what)                    -> examples: [[cmd, what]]
//   .command({...}) inside the builder     -> subcommands: [{...}]
//   handler: handle(fn)                    -> run: hot(() => import('./x.ts'), 'fn') for verbs that must start
//                                             fast, else run: cold('fn') with fn re-exported from cold.ts
// then delete the module from `groups`. Until then main.ts reads such modules into this same shape.
import { UsageError } from '../errors.ts';
import { loadIsland } from '../island.ts';
import { closest, type Args, type Opt, type Verb } from './parse.ts';

type Handler = (a: never) => Promise<number>;
type Cold = typeof import('./cold.ts');

/** A verb whose handler lives in the hot bundle (no yargs, zod, execa, zx on its path). */
const hot =
  <M>(load: () => Promise<M>, name: keyof M) =>
  async (a: Args): Promise<number> =>
    ((await load())[name] as Handler)(a as never);

/** A verb whose handler lives in the cold island (cold.ts), loaded only when that verb runs. */
const cold =
  (name: keyof Cold) =>
  async (a: Args): Promise<number> =>
    ((await loadIsland(() => import('./cold.ts')))[name] as Handler)(a as never);

const json = (describe: string): Record<string, Opt> => ({ json: { type: 'boolean', describe } });
const seconds = (describe: string, dflt: number): Opt => ({ type: 'duration', describe, default: dflt });

export const DEFAULT_VERB: Verb = {
  name: '',
  describe:
    "run the loop in the FOREGROUND: bring the pulse up as the `pulse` window of the profile's tmux server, stream it, " +
    'and on Ctrl-C (or SIGTERM, SIGHUP, the pulse dying) stop the pulse and every worker. A second `looop` on a ' +
    'profile whose pulse is alive follows it instead. Background it (looop &) to run unattended',
  options: json('stream NDJSON events, one per line'),
  run: cold('foreground'),
};

const methodOptions: Record<string, Opt> = {
  every: { type: 'duration', describe: 'interval between beats: 30s, 1m, 5m, 1h (default 1m; cron needs whole minutes)' },
  systemd: { type: 'boolean', describe: 'a systemd --user timer' },
  cron: { type: 'boolean', describe: 'a line in your crontab' },
};

export const VERBS: readonly Verb[] = [
  {
    name: 'tick',
    describe: 'run exactly one beat (sense → diff → decide → act → log) and exit',
    options: {
      json: { type: 'boolean', describe: 'print the beat as NDJSON events' },
      'dry-run': { type: 'boolean', describe: 'sense and diff, print what would happen; change nothing' },
      force: { type: 'boolean', describe: 'decide now: ignore the backoff and the world hash once (budget and hourly cap still hold)' },
    },
    run: hot(() => import('./tick.ts'), 'tick'),
  },
  {
    name: 'status',
    describe: 'the whole story on one screen: pulse, last/next beat, backoff, spend, workers and flags, leases, timer, attach command',
    options: json('one JSON document (stable keys)'),
    run: cold('status'),
  },
  {
    name: 'journal',
    describe: 'the decision log, one line per move (journal.md)',
    options: {
      tail: { type: 'number', describe: 'only the last N lines' },
      follow: { type: 'boolean', alias: 'f', describe: 'keep printing new lines as they land (Ctrl-C stops)' },
      ...json('a JSON array of {ts, text} (NDJSON with --follow)'),
    },
    run: cold('journal'),
  },
  {
    name: 'runs',
    describe: 'the archived beats that called the runner: id, time, result, action, cost',
    options: json('one JSON array'),
    subcommands: [
      {
        name: 'show',
        args: '<id>',
        positionals: { id: { describe: 'a run id (see looop runs)', completes: 'runs' } },
        describe: "one run: result, journal line, cost and the runner's output",
        options: {
          prompt: { type: 'boolean', describe: 'print the prompt the runner got instead of its output' },
          ...json('one JSON document (with the output text)'),
        },
        run: cold('showRun'),
      },
    ],
    run: cold('listRuns'),
  },
  {
    name: 'cost',
    args: '[range]',
    positionals: { range: { choices: ['today', 'week', 'all'], default: 'today' } },
    describe: 'LLM spend from cost.jsonl: totals by kind and runner, per day (range: today | week | all)',
    options: json('one JSON document'),
    run: cold('report'),
  },
  {
    name: 'ls',
    describe: "list this profile's workers (lost ones too: live in looop's records, gone from tmux): id, state (starting working waiting asking flagged stuck exited killed lost), exit code, age, idle, where (directory, git branch and diffstat), ⚑ note",
    options: {
      json: { type: 'boolean', describe: 'one JSON array: [{id,state,source,alive,exit_code,flag,age_s,idle_s,pid,runner,since,said,cwd,git:{branch,files,insertions,deletions}}]' },
      watch: { type: 'boolean', describe: 'refresh every second until Ctrl-C (with --json: a new document on each change)' },
    },
    run: hot(() => import('./ls.ts'), 'ls'),
  },
  {
    name: 'start-session',
    args: '<id> <prompt> [runner]',
    positionals: {
      id: { describe: 'letters, digits, -, _, . (not leading); "pulse" is reserved' },
      prompt: { describe: 'the brief ("-" reads it from stdin)' },
      runner: { describe: 'a runner from the config (default: the config\'s "default")' },
    },
    describe: "start a worker: a window on the profile's tmux server running the runner's interactive command with the worker contract + this brief (\"-\" reads the brief from stdin)",
    options: {
      cwd: { type: 'string', describe: 'the directory the worker works in (must exist; relative to the data dir); default: the data dir' },
      verify: { type: 'string', describe: 'a check run once the worker is done (exits, says `looop done`, or ends its first turn), read-only in its directory; exit 0 = verified' },
      host: { type: 'string', describe: 'run it on a host from the config\'s "hosts" (over ssh, on that host\'s tmux); default: this machine' },
      ...json('print {id,runner,prompt_file,transcript}'),
    },
    examples: [['looop start-session fix-ci - < brief.md', 'the brief from a file'], ['looop start-session fix-ci "make CI green" --cwd ~/src/app', 'in a repository'], ['looop start-session fix-ci "make CI green" --cwd ~/src/app --verify "npm test"', 'verified when done']],
    run: cold('startSession'),
  },
  {
    name: 'attach',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe:
      "attach your terminal to a worker's window (plain tmux attach to the profile's server). Inside your own tmux " +
      'this opens a nested client in the current pane (press Ctrl-\\ twice, or the prefix twice then d, to detach); ' +
      '--popup opens it in a tmux popup over your pane instead',
    options: { popup: { type: 'boolean', describe: 'inside tmux: show it in a display-popup of your own tmux' } },
    run: cold('attach'),
  },
  {
    name: 'detach',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe: "force-detach every tmux client looking at a worker's window",
    options: json('print {id,detached:[clients]}'),
    run: cold('detach'),
  },
  {
    name: 'watch',
    args: '<id>',
    positionals: { id: { completes: 'ids+pulse' } },
    describe: 'follow a session live, read-only (Ctrl-C stops watching, the session goes on); `watch pulse` follows the loop',
    run: cold('watch'),
  },
  {
    name: 'log',
    args: '<id>',
    positionals: { id: { completes: 'ids+pulse' } },
    describe: "print a session's transcript as plain text (sessions/<id>/output.log); `log pulse` for the loop",
    options: {
      tail: { type: 'number', describe: 'only the last N lines' },
      grep: { type: 'string', describe: 'only lines matching this regex' },
      follow: { type: 'boolean', alias: 'f', describe: 'keep printing new output until the session ends' },
      ...json('NDJSON, one {id,n,line} per line'),
      raw: { type: 'boolean', describe: 'the bytes as recorded, escape sequences included' },
    },
    run: cold('log'),
  },
  {
    name: 'shot',
    args: '<id>',
    positionals: { id: { completes: 'ids+pulse' } },
    describe: "print a worker's visible screen (capture-pane); `shot pulse` shows the loop",
    options: {
      ansi: { type: 'boolean', describe: 'keep colours and attributes (not with --json)' },
      ...json('print {id,state,cols,rows,cursor:{x,y},lines}'),
    },
    run: cold('shot'),
  },
  {
    name: 'send',
    args: '<id> <text...>',
    positionals: { id: { completes: 'ids' }, text: { describe: 'the text; a lone "-" reads it from stdin' } },
    describe: 'type literal text into a worker, then Enter; multi-line or long text is pasted safely ("-" reads stdin). Exit 1 when the text was typed but not submitted',
    options: {
      enter: { type: 'boolean', default: true, describe: 'press Enter after the text (--no-enter: only type it)' },
      ...json('print {id,bytes,mode,submitted,enters}'),
    },
    examples: [
      ['looop send fix-ci "run the tests again"', ''],
      ['looop send fix-ci - < answer.md', ''],
    ],
    run: hot(() => import('./send.ts'), 'send'),
  },
  {
    name: 'key',
    args: '<id> <keys...>',
    positionals: { id: { completes: 'ids' }, keys: { completes: 'keys' } },
    describe: 'send named keys to a worker (tmux key names: Enter, Escape, Up, C-c, M-x, F1, ...)',
    run: hot(() => import('./send.ts'), 'key'),
  },
  {
    name: 'expect',
    args: '<id> <regex>',
    positionals: { id: { completes: 'ids+pulse' } },
    describe: "wait until a regex (JavaScript syntax, ^/$ per line) matches the worker's screen or its output since it (re)started; prints the match. Exit 124 on timeout, 1 if the worker ends first",
    options: {
      timeout: seconds('give up after this long (0 = never)', 30),
      new: { type: 'boolean', describe: 'only output written after this call counts (not the screen or earlier output)' },
      ...json('print {id,matched,where}'),
    },
    run: cold('expect'),
  },
  {
    name: 'wait',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe: "wait until a worker's command exits; exits with the worker's exit code",
    options: { timeout: seconds('give up after this long with exit 124 (0 = never)', 0), ...json('print {id,state,exit_code}') },
    run: cold('wait'),
  },
  {
    name: 'wait-idle',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe: "wait until a worker's output has been quiet for --quiet seconds (or it ended); exit 124 on timeout",
    options: {
      quiet: seconds('how long without output counts as idle', 2),
      timeout: seconds('give up after this long (0 = never)', 0),
      ...json('print {id,idle_s}'),
    },
    run: cold('idle'),
  },
  {
    name: 'resize',
    args: '<id> <size>',
    positionals: { id: { completes: 'ids' }, size: { describe: 'COLSxROWS, e.g. 120x40' } },
    describe: "resize a worker's window, e.g. `looop resize fix-ci 120x40` (COLSxROWS)",
    run: cold('resize'),
  },
  {
    name: 'restart',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe: "run a worker's recorded command afresh: a NEW conversation (its process is killed first if alive; transcript appended); `looop resume` continues the old one",
    options: json('print {id,restarted}'),
    run: cold('restart'),
  },
  {
    name: 'kill',
    args: '<id> [reason...]',
    positionals: { id: { completes: 'ids' } },
    describe: 'stop a worker and everything it started; its window stays (marked killed) and its transcript is kept',
    options: json('print {id,killed,reason}'),
    run: cold('kill'),
  },
  {
    name: 'prune',
    describe: 'remove the windows of finished (exited or killed) workers now; transcripts stay in sessions/',
    options: json('print {pruned:[ids]}'),
    run: cold('prune'),
  },
  {
    name: 'flag',
    args: '[words...]',
    positionals: { words: { describe: 'the worker id, then the note', completes: 'ids' } },
    describe: 'mark a worker as waiting for the human: `flag <id> [note...]` (⚑ on the status line, bell, message to attached clients)',
    options: json('print {id,flag}'),
    examples: [['"$LOOOP_BIN" flag "$LOOOP_SESSION_ID" "merge PR #12?"', 'from inside a worker']],
    run: hot(() => import('./flags.ts'), 'flag'),
  },
  {
    name: 'done',
    args: '[id]',
    positionals: { id: { completes: 'ids' } },
    describe: 'a worker says it is done (no id inside a worker: itself): its verify command runs now, even while it keeps running',
    options: json('print {id,done}'),
    examples: [['"$LOOOP_BIN" done', 'from inside a worker']],
    run: hot(() => import('./verify.ts'), 'done'),
  },
  {
    name: 'verify',
    args: '<id>',
    positionals: { id: { completes: 'ids' } },
    describe: "run a worker's verify command again now and print the result (exit 0 verified, 1 failed)",
    options: json('print {id,status,exit_code,tail}'),
    run: cold('verify'),
  },
  {
    name: 'unflag',
    args: '[id]',
    positionals: { id: { completes: 'ids' } },
    describe: "clear a worker's ⚑ (no id inside a worker: itself)",
    options: json('print {id,flag}'),
    run: hot(() => import('./flags.ts'), 'unflagId'),
  },
  {
    name: 'claim',
    args: '<name>',
    positionals: { name: { describe: 'lease name (letters, digits, - _ .)', completes: 'claims' } },
    describe: 'take (or renew) the lease <name> for this session; fails naming the holder if a live session has it',
    options: {
      ttl: { type: 'duration', describe: 'the lease expires on its own after this long (30s, 10m, 1h)' },
      note: { type: 'string', describe: 'what the lease is for (shown in listings)' },
      session: { type: 'string', describe: 'holder id when not inside a worker (LOOOP_SESSION_ID wins)' },
    },
    run: hot(() => import('./claims.ts'), 'claim'),
  },
  {
    name: 'release',
    args: '<name>',
    positionals: { name: { completes: 'claims' } },
    describe: 'drop the lease <name> you hold',
    options: {
      session: { type: 'string', describe: 'holder id when not inside a worker' },
      force: { type: 'boolean', describe: 'drop it whoever holds it' },
    },
    run: hot(() => import('./claims.ts'), 'release'),
  },
  {
    name: 'claims',
    describe: 'list the leases (claims/)',
    options: json('one JSON array'),
    run: hot(() => import('./claims.ts'), 'list'),
  },
  {
    name: 'schedule',
    describe: 'run beats unattended from a systemd --user timer or cron (install | print | remove)',
    options: json('what is installed, as JSON'),
    subcommands: [
      { name: 'install', describe: 'install the timer for this profile (systemd when available, else cron)', options: methodOptions, run: cold('install') },
      { name: 'print', describe: 'print the unit files and crontab line without installing', options: methodOptions, run: cold('print') },
      { name: 'remove', describe: "remove this profile's timer and crontab line", run: cold('remove') },
    ],
    run: cold('show'),
  },
  {
    name: 'demo',
    describe: 'an offline demonstration on a throwaway profile: a scripted decider starts a worker in tmux, the worker raises a ⚑; you attach, answer it, and everything is cleaned up (no LLM, no API key)',
    options: { wait: { type: 'boolean', default: true, describe: 'wait for Enter before cleaning up (--no-wait: answer the worker and finish on its own)' } },
    run: cold('demo'),
  },
  {
    name: 'completion',
    aliases: ['config'],
    args: '[shell]',
    positionals: { shell: { describe: 'bash | zsh', completes: 'shells' } },
    describe: 'print shell completion: eval "$(looop completion zsh)" or eval "$(looop completion bash)" (`config` is the old name)',
    run: cold('completion'),
  },
  { name: 'version', describe: 'print the version', run: hot(() => import('./help.ts'), 'version') },
  {
    name: 'help',
    args: '[command...]',
    positionals: { command: { completes: 'verbs' } },
    describe: "the full manual; `help <command>` shows that command's options",
    run: hot(() => import('./help.ts'), 'help'),
  },
  { name: '_pulse', describe: false, options: { json: { type: 'boolean' }, owner: { type: 'number' } }, run: cold('pulse') },
  { name: '_fmt', describe: false, run: hot(() => import('./cost.ts'), 'fmt') },
  { name: '_cost', args: '<kind> <id> <runner> <usd>', describe: false, run: hot(() => import('./cost.ts'), 'selfReport') },
  { name: '_complete', args: '<what>', describe: false, run: hot(() => import('./complete.ts'), 'complete') },
];

const named = (verbs: readonly Verb[], word: string) => verbs.find((v) => v.name === word || v.aliases?.includes(word));

/** Verbs still declared as yargs modules (main.ts `groups`), read into the table's shape. */
export async function compatVerbs(): Promise<Verb[]> {
  return (await loadIsland(() => import('./main.ts'))).compatVerbs();
}

export async function allVerbs(): Promise<Verb[]> {
  const extra = (await compatVerbs()).filter((v) => !named(VERBS, v.name));
  return [...VERBS, ...extra];
}

export interface Found {
  verb: Verb;
  /** How messages name it: `send`, `runs show`, '' for the bare `looop`. */
  path: string;
  rest: string[];
}

/** argv → the verb it names and the words left for the parser. null: top-level help. */
export async function findVerb(argv: readonly string[]): Promise<Found | null> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') return null;
  if (first === '--version' || first === '-V') return { verb: named(VERBS, 'version')!, path: 'version', rest };
  if (first === undefined || first.startsWith('-')) return { verb: DEFAULT_VERB, path: '', rest: [...argv] };
  let verb = named(VERBS, first) ?? named(await compatVerbs(), first);
  if (!verb) {
    const names = (await allVerbs()).filter((v) => v.describe !== false).flatMap((v) => [v.name, ...(v.aliases ?? [])]);
    const guess = closest(first, names);
    throw new UsageError(`unknown command "${first}"${guess ? `; did you mean ${guess}?` : ''} (see looop --help)`);
  }
  let path = verb.name;
  let words = rest;
  for (let sub = verb.subcommands && named(verb.subcommands, words[0] ?? ''); sub; sub = sub.subcommands && named(sub.subcommands, words[0] ?? '')) {
    verb = sub;
    path += ` ${sub.name}`;
    words = words.slice(1);
  }
  return { verb, path, rest: words };
}

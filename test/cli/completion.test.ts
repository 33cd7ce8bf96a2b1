import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, makeProfile, type Profile } from '../helpers/profile.ts';

const hasZsh = spawnSync('sh', ['-c', 'command -v zsh']).status === 0;

/** A `looop` on PATH that runs the built CLI, as an installed one would. */
function onPath(p: Profile): NodeJS.ProcessEnv {
  const bin = join(p.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'looop'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'looop'), 0o755);
  return { ...p.env, PATH: `${bin}:${process.env.PATH}` };
}

/** Completes `words` (the last one being completed) with the bash script, like bash's TAB would. */
function bashComplete(env: NodeJS.ProcessEnv, words: string[]): string[] {
  const script = `eval "$(looop config bash)"
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_looop; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', cwd: env.HOME });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

async function verbsAndOptions(p: Profile): Promise<Map<string, string[]>> {
  const help = p.run(['--help']).stdout;
  const verbs = [...new Set([...help.matchAll(/^ {2}looop ([a-z][a-z-]*)/gm)].map((m) => m[1]!))];
  const texts = await Promise.all(verbs.map((v) => p.runAsync([v, '--help'])));
  const out = new Map<string, string[]>();
  verbs.forEach((v, i) => {
    const opts = [...texts[i]!.stdout.matchAll(/^ +(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help' && o !== '--version');
    out.set(v, opts);
  });
  return out;
}

/** What bash offers after `looop <verb> --` for every verb, in one bash process. */
function bashOptionOffers(env: NodeJS.ProcessEnv, verbs: string[]): Map<string, string[]> {
  const script = `. ${join(ROOT, 'completions', 'looop.bash')}
for v in ${verbs.join(' ')}; do COMP_WORDS=(looop "$v" --); COMP_CWORD=2; _looop; echo "$v: \${COMPREPLY[*]}"; done`;
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return new Map(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim().split(/\s+/)]));
}

test('the bash script loads in `bash -c` and completes verbs, options, ranges, live worker ids, claim names and run ids', () => {
  const p = makeProfile('looop-complete');
  try {
    p.writeConfig({ default: 'sleeper', runners: { sleeper: { tick: 'true', interactive: 'sleep 300' } } });
    const env = onPath(p);
    const load = spawnSync('bash', ['-c', 'set -e; eval "$(looop config bash)"; complete -p looop'], { env, encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    assert.equal(load.stderr, '');
    assert.match(load.stdout, /complete -F _looop looop/);

    assert.deepEqual(bashComplete(env, ['looop', 'cl']), ['claim', 'claims']);
    assert.deepEqual(bashComplete(env, ['looop', 'cost', '']), ['all', 'today', 'week']);
    assert.deepEqual(bashComplete(env, ['looop', 'config', '']), ['bash', 'zsh']);
    assert.deepEqual(bashComplete(env, ['looop', 'claim', 'x', '--']), ['--help', '--note', '--session', '--ttl']);

    assert.equal(p.run(['start-session', 'alpha', 'a']).code, 0);
    assert.equal(p.run(['start-session', 'beta', 'b']).code, 0);
    assert.deepEqual(bashComplete(env, ['looop', 'attach', '']), ['alpha', 'beta']);
    assert.deepEqual(bashComplete(env, ['looop', 'watch', '']), ['alpha', 'beta', 'pulse']);
    assert.deepEqual(bashComplete(env, ['looop', 'kill', 'a']), ['alpha']);

    p.run(['claim', 'deploy', '--session', 'me']);
    assert.deepEqual(bashComplete(env, ['looop', 'release', '']), ['deploy']);
    mkdirSync(join(p.dataDir, 'runs', '20300101-000000-ab'), { recursive: true });
    assert.deepEqual(bashComplete(env, ['looop', 'runs', 'show', '']), ['20300101-000000-ab']);

    const other = makeProfile('looop-complete-other');
    try {
      const otherEnv = { ...env, LOOOP_DATA_DIR: other.dataDir };
      assert.deepEqual(bashComplete(otherEnv, ['looop', 'attach', '']), [], 'another profile completes its own (no) workers');
    } finally {
      other.cleanup();
    }
  } finally {
    p.cleanup();
  }
});

test('every verb and every option the CLI has is in both completion scripts', async () => {
  const p = makeProfile('looop-complete');
  try {
    const env = onPath(p);
    const bash = readFileSync(join(ROOT, 'completions', 'looop.bash'), 'utf8');
    const zsh = readFileSync(join(ROOT, 'completions', '_looop'), 'utf8');
    const table = await verbsAndOptions(p);
    assert.ok(table.size > 25, `found ${table.size} verbs`);
    const offers = bashOptionOffers(env, [...table.keys()]);
    const topLevel = bashComplete(env, ['looop', '']);
    for (const [verb, opts] of table) {
      assert.ok(topLevel.includes(verb), `bash completes the verb ${verb}`);
      assert.match(zsh, new RegExp(`'${verb}:`), `zsh completes the verb ${verb}`);
      if (verb === 'help' || !opts.length) continue;
      const offered = offers.get(verb) ?? [];
      for (const o of opts) assert.ok(offered.includes(o), `bash offers ${verb} ${o} (offered: ${offered.join(' ')})`);
      const line = zsh.split('\n').find((l) => l.trimStart().startsWith(`'${verb}'`) && l.includes(') opts=')) ?? '';
      for (const o of opts) assert.ok(line.includes(o), `zsh offers ${verb} ${o}`);
    }
    assert.ok(bash.includes('complete -F _looop looop'));
    const sched = p.run(['schedule', 'install', '--help']).stdout;
    for (const o of ['--every', '--systemd', '--cron']) {
      assert.ok(sched.includes(o));
      assert.ok(bashComplete(env, ['looop', 'schedule', 'install', '--']).includes(o));
      assert.ok(zsh.includes(o));
    }
  } finally {
    p.cleanup();
  }
});

test('completions/ is what `looop completion` prints (generated from the verb table by the build)', () => {
  const p = makeProfile('looop-complete');
  try {
    assert.equal(p.run(['completion', 'bash']).stdout, readFileSync(join(ROOT, 'completions', 'looop.bash'), 'utf8'));
    assert.equal(p.run(['completion', 'zsh']).stdout, readFileSync(join(ROOT, 'completions', '_looop'), 'utf8'));
    assert.equal(p.run(['config', 'zsh']).stdout, p.run(['completion', 'zsh']).stdout, '`config` stays an alias');
  } finally {
    p.cleanup();
  }
});

test('bash: positions skip options and their values; a value being typed gets no offers', () => {
  const p = makeProfile('looop-complete');
  try {
    const env = onPath(p);
    assert.deepEqual(bashComplete(env, ['looop', 'key', 'w1', '']).slice(0, 3), ['BSpace', 'C-c', 'C-d']);
    assert.deepEqual(bashComplete(env, ['looop', 'claim', '--ttl', '']), []);
    assert.deepEqual(bashComplete(env, ['looop', 'cost', '--json', 'w']), ['week']);
    assert.deepEqual(bashComplete(env, ['looop', 'runs', '']), ['show']);
    assert.deepEqual(bashComplete(env, ['looop', 'help', 'cla']), ['claim', 'claims']);
  } finally {
    p.cleanup();
  }
});

test('live ids are data, never code: a worker id like $(touch x) is offered escaped and nothing runs', { skip: !hasZsh && 'zsh not installed' }, () => {
  const p = makeProfile('looop-complete');
  try {
    p.writeConfig({ default: 'sleeper', runners: { sleeper: { tick: 'true', interactive: 'sleep 300' } } });
    const env = onPath(p);
    assert.equal(p.run(['start-session', 'alpha', 'a']).code, 0);
    const win = p.tmux(['list-windows', '-a', '-F', '#{window_id} #{@looop_id}']).split('\n').find((l) => l.endsWith(' alpha'))!.split(' ')[0]!;
    const evil = '$(touch pwned)`touch pwned2`';
    p.tmux(['set-option', '-w', '-t', win, '@looop_id', evil]);
    // An id that breaks the id rules is never shown as such: the window is offered by its tmux number.
    const offered = bashComplete({ ...env }, ['looop', 'attach', '']);
    assert.deepEqual(offered, [`window-${win.replace(/^@/, '')}`]);
    const z = spawnSync('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -d ${p.home}/.zcompdump && eval "$(looop completion zsh)"
compadd() { [[ $1 == -a ]] && print -r -- "offered: \${(P)2}" }
words=(looop attach ''); CURRENT=3; PREFIX=''; _looop`], { env: { ...env, ZDOTDIR: p.home }, encoding: 'utf8', cwd: p.root });
    assert.equal(z.status, 0, z.stderr);
    assert.equal(z.stdout.trim(), `offered: window-${win.replace(/^@/, '')}`, 'zsh is offered the window, never the forged id');
    for (const dir of [p.root, p.home, process.cwd()]) for (const f of ['pwned', 'pwned2']) assert.ok(!existsSync(join(dir, f)), `nothing ran (${dir}/${f})`);
  } finally {
    p.cleanup();
  }
});

test('the zsh script loads in `zsh -c` without error, with and without compinit, and registers _looop', { skip: !hasZsh && 'zsh not installed' }, () => {
  const p = makeProfile('looop-complete');
  try {
    const env = { ...onPath(p), ZDOTDIR: p.home };
    const bare = spawnSync('zsh', ['-f', '-c', 'eval "$(looop config zsh)" && print -r -- ${+functions[_looop]}'], { env, encoding: 'utf8' });
    assert.equal(bare.status, 0, bare.stderr);
    assert.equal(bare.stderr, '');
    assert.equal(bare.stdout.trim(), '1');
    const withCompinit = spawnSync('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -d ${p.home}/.zcompdump && eval "$(looop config zsh)" && print -r -- $_comps[looop]`], { env, encoding: 'utf8' });
    assert.equal(withCompinit.status, 0, withCompinit.stderr);
    assert.equal(withCompinit.stderr, '');
    assert.equal(withCompinit.stdout.trim(), '_looop');
    const fpath = spawnSync('zsh', ['-f', '-c', `fpath=(${ROOT}/completions $fpath); autoload -Uz compinit && compinit -u -d ${p.home}/.zcompdump && print -r -- $_comps[looop]`], { env, encoding: 'utf8' });
    assert.equal(fpath.stdout.trim(), '_looop', 'also works as an $fpath file');
  } finally {
    p.cleanup();
  }
});

test('looop config without a known shell is a usage error naming the choices', () => {
  const p = makeProfile('looop-complete');
  try {
    const r = p.run(['config', 'fish']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bash\|zsh/);
  } finally {
    p.cleanup();
  }
});

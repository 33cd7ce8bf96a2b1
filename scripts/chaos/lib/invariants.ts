// The invariants every attack is checked against. Each check returns a list of problems (empty = holds).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Call } from './decider.ts';
import type { Known } from './known.ts';
export { newKnown, remember, type Known } from './known.ts';
import type { ChaosProfile, Run } from './profile.ts';
import { alive, commandOf } from './procs.ts';

/** path -> digest of everything under dir (symlinks by target, never followed), skipping `skip` subtrees. */
export function digestTree(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const full = join(d, n);
      if (skip.includes(full)) continue;
      const rel = relative(dir, full);
      let st;
      try {
        st = lstatSync(full);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) out.set(rel, `link:${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir:${(st.mode & 0o7777).toString(8)}`);
        walk(full);
      } else if (st.isFile()) {
        let sum = '?';
        try {
          sum = createHash('sha1').update(readFileSync(full)).digest('hex');
        } catch {
          // unreadable: the mode tells
        }
        out.set(rel, `file:${(st.mode & 0o7777).toString(8)}:${sum}`);
      } else out.set(rel, `other:${st.mode}`);
    }
  };
  walk(dir);
  return out;
}

export function diffDigest(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(before.has(k) ? `changed ${k}` : `created ${k}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`);
  return out;
}

/** The box minus the data dir: config, HOME and the bait files symlinks point at. */
export function outsideGuard(p: ChaosProfile): { check(): string[]; rebase(): void } {
  let before = digestTree(p.box, [p.data]);
  return {
    check: () => diffDigest(before, digestTree(p.box, [p.data])).map((d) => `written outside the data dir: ${d}`),
    // After the harness itself changed something outside (a new config).
    rebase: () => void (before = digestTree(p.box, [p.data])),
  };
}

const asWritten = (body: string) => (body.endsWith('\n') ? body : body + '\n');
const matches = (text: string, bodies: Set<string> | undefined) => !!bodies && [...bodies].some((b) => b === text || asWritten(b) === text);

function regularFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => {
      try {
        return lstatSync(join(dir, n)).isFile();
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

const JSON_SCRATCH = ['.last-world.json', '.last-beat.json', '.tick-backoff', '.last-failure.json', '.decide-times.json', '.flap-streaks.json', '.last-decision.json', '.last-run-shell.json', '.config-cache.json', 'snapshots/.meta.json'];

/**
 * No half-written file: every goal / sensor / PLAYBOOK is exactly one body the decider handed out (or
 * the seed), every claim and scratch JSON parses, the journal holds only whole lines.
 * `known` null: only the parse checks (files the harness did not author itself).
 */
export function checkFiles(p: ChaosProfile, known: Known | null = p.known): string[] {
  const bad: string[] = [];
  const read = (f: string) => readFileSync(f, 'utf8');
  for (const f of regularFiles(p.paths.goals).filter((n) => n.endsWith('.md'))) {
    const text = read(join(p.paths.goals, f));
    if (known && !matches(text, known.goals.get(f.slice(0, -3)))) bad.push(`goals/${f} is not a body that was written (${text.length} bytes)`);
    if (!known && !text.endsWith('\n')) bad.push(`goals/${f} has no trailing newline`);
  }
  for (const f of regularFiles(p.paths.sensors).filter((n) => n.endsWith('.sh'))) {
    const full = join(p.paths.sensors, f);
    const text = read(full);
    if (known && !matches(text, known.sensors.get(f.slice(0, -3)))) bad.push(`sensors/${f} is not a script that was written (${text.length} bytes)`);
    if (!(statSync(full).mode & 0o100)) bad.push(`sensors/${f} is not executable`);
  }
  try {
    const pb = read(p.paths.playbook);
    if (known && !matches(pb, known.playbooks)) bad.push(`PLAYBOOK.md is not a body that was written (${pb.length} bytes)`);
  } catch {
    // no PLAYBOOK yet
  }
  for (const f of regularFiles(p.paths.claims).filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    try {
      const c = JSON.parse(read(join(p.paths.claims, f)));
      if (typeof c.session !== 'string' || typeof c.ts !== 'string') bad.push(`claims/${f} lacks session/ts`);
    } catch {
      bad.push(`claims/${f} does not parse`);
    }
  }
  for (const f of JSON_SCRATCH) {
    let text: string;
    try {
      text = read(join(p.data, f));
    } catch {
      continue;
    }
    try {
      JSON.parse(text);
    } catch {
      bad.push(`${f} does not parse`);
    }
  }
  try {
    const hash = read(p.paths.lastHash);
    if (!/^[0-9a-f]{16,}\n$/.test(hash)) bad.push(`.last-tick-hash is torn: ${JSON.stringify(hash.slice(0, 80))}`);
  } catch {
    // none yet
  }
  try {
    JSON.parse(read(p.config));
  } catch {
    bad.push('the config does not parse');
  }
  bad.push(...journalProblems(p));
  return bad;
}

export function journalLines(p: ChaosProfile): string[] {
  let text = '';
  try {
    text = readFileSync(p.paths.journal, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean);
}

export function journalProblems(p: ChaosProfile): string[] {
  let text = '';
  try {
    text = readFileSync(p.paths.journal, 'utf8');
  } catch {
    return [];
  }
  const bad: string[] = [];
  if (text && !text.endsWith('\n')) bad.push(`journal.md ends in a partial line: ${JSON.stringify(text.slice(-80))}`);
  for (const line of text.split('\n').filter(Boolean)) {
    if (!/^- \d{4}-\d\d-\d\d \d\d:\d\d \S/.test(line)) bad.push(`journal line malformed: ${JSON.stringify(line.slice(0, 100))}`);
  }
  return bad;
}

/** Temp files of interrupted atomic writes (debris, not half-written files: nothing reads them). */
export function tempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const full = join(d, n);
      if (n === '.git') continue;
      if (/^\..*\.tmp$/.test(n)) out.push(relative(dir, full));
      try {
        if (lstatSync(full).isDirectory()) walk(full);
      } catch {
        // gone
      }
    }
  };
  walk(dir);
  return out;
}

export interface Tracked {
  pid: number;
  start: string;
  label: string;
}

/** Every pid a sensor, decider or child logged to $CHAOS_DIR/pids.log. */
export function loggedPids(p: ChaosProfile): Tracked[] {
  let text = '';
  try {
    text = readFileSync(join(p.decider.dir, 'pids.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[0]!))
    .map((f) => ({ pid: Number(f[0]), start: f[1]!, label: f.slice(2).join(' ') }));
}

export function survivors(tracked: Tracked[]): string[] {
  return tracked.filter((t) => alive(t.pid, t.start)).map((t) => `${t.label} pid ${t.pid} survived its owner (${commandOf(t.pid)})`);
}

/** Two decider calls whose [start, end] intervals overlap. */
export function overlaps(calls: Call[]): string[] {
  const done = calls.filter((c) => c.endNs !== null).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const bad: string[] = [];
  for (let i = 1; i < done.length; i++) {
    const prev = done[i - 1]!;
    const cur = done[i]!;
    if (cur.startNs < prev.endNs!) bad.push(`decider calls overlap: pid ${prev.pid} (from looop pid ${prev.ppid}) and pid ${cur.pid} (from ${cur.ppid}) by ${Number(prev.endNs! - cur.startNs) / 1e6} ms`);
  }
  return bad;
}

export interface Ev {
  event: string;
  [k: string]: unknown;
}

export function events(stdout: string): Ev[] {
  const out: Ev[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a partial line from a killed process
    }
  }
  return out;
}

const INTERNAL = /internal error|\n\s+at |TypeError|ReferenceError|RangeError|SyntaxError|Cannot read prop|undefined is not|\[object Object\]/;

/**
 * A beat that ran to its end: exit 0, or 1 with one clear line on stderr naming the cause.
 * Exit 3 (locked) is only clear when `lockedOk` (someone else really holds it).
 */
export function unclear(r: Run, opts: { lockedOk?: boolean; cause?: RegExp } = {}): string | null {
  // With --json the reason travels in the `failed` event instead of on stderr.
  const failedEv = events(r.stdout).find((e) => e.event === 'failed');
  const err = r.stderr.trim() || (failedEv ? `looop: ${String(failedEv.reason)}` : '');
  if (r.signal) return `looop died of ${r.signal}: ${err.slice(0, 200)}`;
  if (r.code === 0) return null;
  if (r.code === 3 && opts.lockedOk) return null;
  if (r.code !== 1 && r.code !== 3) return `exit ${r.code}: ${err.slice(0, 300)}`;
  if (!err) return `exit ${r.code} with nothing on stderr`;
  if (err.includes('\n')) return `exit ${r.code} with ${err.split('\n').length} lines on stderr: ${err.slice(0, 300)}`;
  if (INTERNAL.test(err)) return `exit ${r.code} with an internal error: ${err.slice(0, 300)}`;
  if (r.code === 3) return `exit 3 though no other beat runs: ${err.slice(0, 300)}`;
  if (opts.cause && !opts.cause.test(err)) return `exit 1 without naming the cause (${opts.cause}): ${err.slice(0, 300)}`;
  return null;
}

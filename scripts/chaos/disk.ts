// 6. A full disk (the data dir on a 2 MB tmpfs, filled to within a few KB) and a read-only data dir
//    (the same tmpfs remounted read-only). Each beat must fail with a reason naming the cause or the
//    path, leave no half-written file, and the beat after space (or write access) returns must succeed
//    without anyone deleting a lock or a file.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { baseProfile, bump, outcome, tick, why, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { checkFiles, journalLines, outsideGuard } from './lib/invariants.ts';
import { readOr, type ChaosProfile } from './lib/profile.ts';
import { kill9, sleep, waitFor } from './lib/procs.ts';
import { awaitPulse, startForeground } from './lib/pulse.ts';

export const name = 'disk';

// A decider that cannot write its own output on a full disk is reported by its exit: that is its failure.
const CAUSE = /ENOSPC|no space|space left|EROFS|read-only|EACCES|permission|EDQUOT|quota|runner "scripted" exited/i;

/** An unwritable data dir or a full disk fails the beat "with the path". */
function namesPath(reason: string, p: ChaosProfile): boolean {
  return !/ENOSPC|EROFS|EACCES|no space|read-only/i.test(reason) || reason.includes(p.data);
}

function sh(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}

/** Moves the data dir onto a small tmpfs (or a loop-mounted ext4 image); null when mounting is refused. */
function mountSmall(p: ChaosProfile): string | null {
  const aside = `${p.data}.aside`;
  renameSync(p.data, aside);
  mkdirSync(p.data);
  let m = sh('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', p.data]);
  if (!m.ok) {
    const img = join(p.root, 'disk.img');
    const mk = sh('sh', ['-c', `dd if=/dev/zero of=${img} bs=1M count=3 2>/dev/null && mkfs.ext4 -q -F ${img}`]);
    m = mk.ok ? sh('mount', ['-o', 'loop', img, p.data]) : mk;
    if (!m.ok) {
      rmSync(p.data, { recursive: true, force: true });
      renameSync(aside, p.data);
      return `mount refused (${m.err.split('\n')[0]})`;
    }
  }
  cpSync(aside, p.data, { recursive: true });
  rmSync(aside, { recursive: true, force: true });
  return null;
}

/** Fills the data dir's filesystem to within `free` bytes. */
function fill(p: ChaosProfile, free: number): void {
  const filler = join(p.data, 'filler.bin');
  const fd = openSync(filler, 'a');
  const chunk = Buffer.alloc(16384, 0x61);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // full
  }
  const size = statSync(filler).size;
  ftruncateSync(fd, Math.max(0, size - free));
  closeSync(fd);
}

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'dk', { config: { max_decisions_per_hour: 0 } });
  const fail = (m: string) => o.failures.push(m);
  let mounted = false;
  const r = ctx.rng;
  let refused = 0;
  let recovered = 0;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const env = () => ({ LOOOP_NOW: new Date((clock += 600_000)).toISOString() });
  try {
    // Seed one decided beat first, so the repo, the hash and the journal exist before the disk fills.
    bump(p, 'seed');
    p.decider.queue({ action: 'noop', reason: 'before the disk fills' });
    const first = await tick(p, { env: env() });
    if (first.problem) fail(`first beat: ${first.problem}`);
    const skip = mountSmall(p);
    if (skip) {
      o.skipped.push(`disk full and read-only: ${skip}`);
      return o;
    }
    mounted = true;
    const outside = outsideGuard(p);
    for (let round = 0; round < ctx.scale.diskRounds; round++) {
      const id = `disk-${round}`;
      const body = `# ${id}\n${'z'.repeat(r.int(100, 20_000))}\n`;
      p.known.goals.set(id, new Set([body]));
      bump(p, id);
      p.decider.clear();
      const playbook = r.chance(0.3);
      p.decider.queue(playbook ? { action: 'write_playbook', body, journal: `playbook ${id}` } : { action: 'write_goal', id, body, journal: `goal ${id}` });
      if (playbook) p.known.playbooks.add(body);
      const free = r.pick([0, 0, 512, 4096, 16384, 65536]);
      fill(p, free);
      const full = await tick(p, { env: env(), cause: CAUSE });
      o.attacks++;
      if (full.problem) fail(`disk full (${free} B free): ${full.problem}`);
      else if (full.run.code !== 0 && !namesPath(why(full), p)) fail(`disk full (${free} B free): the reason names no path: ${why(full)}`);
      if (full.run.code !== 0) refused++;
      if (ctx.verbose) process.stderr.write(`disk: ${free} B free: exit ${full.run.code} ${why(full)}\n`);
      // Executed = its effect is visible; journaled = a line names it. The two must agree.
      const effect = playbook ? readOr(p.paths.playbook) === body : readOr(p.paths.goal(id)) === body;
      const lines = journalLines(p).filter((l) => l.endsWith(` ${id}`)).length;
      if (lines !== (effect ? 1 : 0)) fail(`disk full (${free} B free): ${playbook ? 'playbook' : 'goal'} ${id} ${effect ? 'written' : 'not written'} but ${lines} journal lines name it`);
      for (const m of checkFiles(p)) fail(`disk full (${free} B free): ${m}`);
      rmSync(join(p.data, 'filler.bin'), { force: true });
      bump(p, `${id}-freed`);
      p.decider.queue({ action: 'noop', reason: 'space is back' });
      const after = await tick(p, { env: env() });
      if (after.problem || after.run.code !== 0) fail(`the beat after space came back: ${why(after)}`);
      else recovered++;
      for (const m of checkFiles(p)) fail(`after space came back: ${m}`);
    }
    // The pulse through a full disk: it may fail beats, but must decide again once space is back.
    const fg = startForeground(p);
    if (!(await awaitPulse(p))) fail(`pulse on the small disk did not come up: ${fg.err().slice(-300)}`);
    else {
      await sleep(1500);
      fill(p, 0);
      o.attacks++;
      await sleep(4000);
      rmSync(join(p.data, 'filler.bin'), { force: true });
      // A new goal cuts any backoff short, as a human fixing things would.
      writeFileSync(p.paths.goal('space-back'), '# space is back\n');
      p.known.goals.set('space-back', new Set(['# space is back\n']));
      bump(p, 'pulse-freed');
      p.decider.queue({ action: 'noop', reason: 'pulse recovered' });
      const since = p.decider.calls().length;
      const t0 = Date.now();
      if (!(await waitFor(() => p.decider.calls().length > since, 20_000))) {
        fail(`the pulse did not decide again within 20 s of space coming back: ${fg.out().split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 300)}`);
      } else o.figures['pulse-recovery'] = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
      fg.child.kill('SIGTERM');
      await Promise.race([fg.done, sleep(15_000)]);
      kill9(fg.pid);
    }
    // The tmux server's socket lives in the data dir and would keep the mount busy.
    p.tmux(['kill-server']);
    // Read-only: tmpfs remount (root ignores chmod, not a read-only mount).
    bump(p, 'ro');
    const ro = sh('mount', ['-o', 'remount,ro', p.data]);
    if (!ro.ok) o.skipped.push(`read-only: remount refused (${ro.err})`);
    else {
      const b = await tick(p, { env: env(), cause: CAUSE });
      o.attacks++;
      if (b.problem) fail(`read-only data dir: ${b.problem}`);
      else if (!namesPath(why(b), p)) fail(`read-only data dir: the reason names no path: ${why(b)}`);
      if (b.run.code === 0) fail('read-only data dir: the beat claims success');
      if (ctx.verbose) process.stderr.write(`disk: read-only: exit ${b.run.code} ${why(b)}\n`);
      sh('mount', ['-o', 'remount,rw', p.data]);
      bump(p, 'rw');
      p.decider.queue({ action: 'noop', reason: 'writable again' });
      const after = await tick(p, { env: env() });
      if (after.problem || after.run.code !== 0) fail(`the beat after the data dir became writable again: ${why(after)}`);
      for (const m of checkFiles(p)) fail(`after read-only: ${m}`);
    }
    for (const m of outside.check()) fail(m);
  } finally {
    const keep = ctx.keep && o.failures.length > 0;
    if (mounted && !keep) sh('umount', ['-l', p.data]);
    await p.cleanup(keep);
  }
  o.figures = { 'full-beats-refused': refused, recovered: `${recovered}/${ctx.scale.diskRounds}`, ...o.figures };
  return o;
}

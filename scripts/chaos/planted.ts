// 9. Planted files: what one gate-approved command inside the data dir can leave behind. A symlink or hard
//    link to a private file outside (as PLAYBOOK, a goal, a sensor), a symlinked journal.md pointing outside,
//    and a FIFO as PLAYBOOK or a goal. Every beat must end (no hang), name the refused file, copy no byte of
//    the private file into a prompt, archive or commit, and write nothing outside the data dir.
import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseProfile, bump, outcome, tick, why, type Outcome, type ScenarioCtx } from './lib/common.ts';

export const name = 'planted';

type Plant = { what: string; plant(data: string, secret: string, outside: string): void; file: string };

const PLANTS: Plant[] = [
  { what: 'symlinked PLAYBOOK', file: 'PLAYBOOK.md', plant: (d, s) => symlinkSync(s, join(d, 'PLAYBOOK.md')) },
  { what: 'hard-linked PLAYBOOK', file: 'PLAYBOOK.md', plant: (d, s) => linkSync(s, join(d, 'PLAYBOOK.md')) },
  { what: 'symlinked goal', file: 'goals/leak.md', plant: (d, s) => symlinkSync(s, join(d, 'goals', 'leak.md')) },
  { what: 'hard-linked goal', file: 'goals/leak.md', plant: (d, s) => linkSync(s, join(d, 'goals', 'leak.md')) },
  { what: 'hard-linked sensor', file: 'sensors/leak.sh', plant: (d, s) => linkSync(s, join(d, 'sensors', 'leak.sh')) },
  { what: 'FIFO PLAYBOOK', file: 'PLAYBOOK.md', plant: (d) => execFileSync('mkfifo', [join(d, 'PLAYBOOK.md')]) },
  { what: 'FIFO goal', file: 'goals/pipe.md', plant: (d) => execFileSync('mkfifo', [join(d, 'goals', 'pipe.md')]) },
  { what: 'symlinked journal', file: 'journal.md', plant: (d, _s, o) => symlinkSync(o, join(d, 'journal.md')) },
];

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'pl', { config: { max_decisions_per_hour: 0 } });
  const fail = (m: string) => o.failures.push(m);
  const secretText = `PRIVATE-${ctx.rng.int(1e6, 9e6)}`;
  const secret = join(p.root, 'secret.txt');
  const outside = join(p.root, 'outside.txt');
  writeFileSync(secret, `echo '{"signal":{"leak":"${secretText}"}}'\n`, { mode: 0o600 });
  writeFileSync(outside, 'untouched\n');
  let n = 0;
  let plants = PLANTS;
  try {
    // The CI run tries one of each kind (link, hard link, FIFO, journal link); the full run all of them.
    plants = ctx.scale.name === 'small' ? PLANTS.filter((_, i) => [0, 3, 5, 7].includes(i)) : PLANTS;
    for (const plant of plants) {
      const target = join(p.data, plant.file);
      const saved = plant.file === 'journal.md' || plant.file === 'PLAYBOOK.md' ? readFileSync(target, 'utf8') : null;
      rmSync(target, { force: true });
      plant.plant(p.data, secret, outside);
      bump(p, `${plant.what}-${++n}`);
      p.decider.queue({ action: 'write_goal', id: `after-${n}`, body: `beat ${n}`, journal: `goal after-${n}` });
      const beat = await tick(p, { timeoutMs: 30_000 });
      o.attacks++;
      if (beat.run.code !== 0 && /timed out|SIGKILL|killed/i.test(why(beat))) fail(`${plant.what}: the beat hung (${why(beat)})`);
      else if (beat.run.code !== 0) fail(`${plant.what}: the beat failed: ${why(beat)}`);
      else if (plant.file !== 'journal.md' && !beat.run.stdout.includes(plant.file)) fail(`${plant.what}: no event names ${plant.file}`);
      if (readFileSync(outside, 'utf8') !== 'untouched\n') fail(`${plant.what}: looop wrote outside the data dir`);
      rmSync(target, { force: true });
      if (saved !== null) writeFileSync(target, saved);
    }
    const leaks = spawnSync('grep', ['-rlF', secretText, p.data], { encoding: 'utf8' }).stdout.trim();
    if (leaks) fail(`the private file reached: ${leaks.split('\n').join(', ')}`);
    const history = spawnSync('git', ['-C', p.data, 'log', '-p', '--all'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    if (history.includes(secretText)) fail('the private file reached git history');
    o.figures.plants = plants.length;
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  return o;
}

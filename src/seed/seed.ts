// First run: lay out the data dir and seed the starter world; never overwrite an existing file.
import { mkdirSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import type { Paths } from '../paths.ts';
import { GITIGNORE, GOAL_PLAYBOOK_DAILY, GOAL_SETUP, PLAYBOOK, SENSOR_TODAY } from './texts.ts';

function createOnly(path: string, text: string, mode = 0o600): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx', mode });
    chmodSync(path, mode);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Makes the folders every beat relies on; cheap when they exist. */
export function ensureLayout(p: Paths): void {
  // Private by default (other users must not read transcripts or prompts); tightened on every beat.
  mkdirSync(p.root, { recursive: true, mode: 0o700 });
  try {
    chmodSync(p.root, 0o700);
  } catch {
    // not ours to change (a shared mount): the files inside are still 0600
  }
  for (const dir of [p.goals, p.sensors, p.claims, p.reports, p.snapshots, p.runs]) mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Seeds a fresh data dir. A data dir is fresh when it has no PLAYBOOK and no goals folder yet. */
export function seedDataDir(p: Paths): string[] {
  const fresh = !existsSync(p.playbook) && !existsSync(p.goals);
  ensureLayout(p);
  if (!fresh) return [];
  const made: string[] = [];
  if (createOnly(p.playbook, PLAYBOOK)) made.push('PLAYBOOK.md');
  if (createOnly(p.goal('setup'), GOAL_SETUP)) made.push('goals/setup.md');
  if (createOnly(p.goal('playbook-daily'), GOAL_PLAYBOOK_DAILY)) made.push('goals/playbook-daily.md');
  if (createOnly(p.sensor('today'), SENSOR_TODAY, 0o700)) made.push('sensors/today.sh');
  if (createOnly(p.gitignore, GITIGNORE)) made.push('.gitignore');
  return made;
}

// Which timer runs this profile's beats (for `looop status` and `looop schedule`).
import type { Ctx } from '../context.ts';
import { resolveDataDir } from '../paths.ts';
import { detectCron } from './cron.ts';
import { unitName } from './render.ts';
import { detectSystemd } from './systemd.ts';

export interface InstalledSchedule {
  kind: 'systemd' | 'cron';
  name: string;
  every_s: number | null;
  /** The timer unit file or the crontab line. */
  where: string;
}

export function profileUnitName(ctx: Pick<Ctx, 'dataDir' | 'env'>): string {
  return unitName(ctx.dataDir, resolveDataDir({ ...ctx.env, LOOOP_DATA_DIR: '' }));
}

export async function detectSchedules(ctx: Pick<Ctx, 'dataDir' | 'env'>): Promise<InstalledSchedule[]> {
  const name = profileUnitName(ctx);
  const out: InstalledSchedule[] = [];
  const sd = detectSystemd(ctx.env, name);
  if (sd) out.push({ kind: 'systemd', name: `${name}.timer`, every_s: sd.every_s, where: sd.timer });
  const cron = await detectCron(ctx.env, name);
  if (cron) out.push({ kind: 'cron', name, every_s: cron.every_s, where: cron.line });
  return out;
}

// What a scheduled beat needs baked in for this profile: absolute node and looop, the profile's
// paths, and a PATH that finds tmux and the runner CLIs under cron's or systemd's bare environment.
import { existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute } from 'node:path';
import type { Ctx } from '../context.ts';
import { ConfigError } from '../errors.ts';
import { resolveDataDir } from '../paths.ts';
import { unitName, type ScheduleSpec } from './render.ts';
import { which } from '../proc/on-path.ts';

export function bakedPath(env: NodeJS.ProcessEnv, node: string): string {
  const tmux = which('tmux', env.PATH);
  const dirs = [dirname(node), ...(tmux ? [dirname(tmux)] : []), ...(env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin', '/bin'];
  const seen = new Set<string>();
  return dirs.filter((d) => d && isAbsolute(d) && !seen.has(d) && (seen.add(d), existsSync(d))).join(delimiter);
}

/** `looop.json` -> `looop.env`: KEY=value lines (API keys) a scheduled beat loads; kept out of the data dir's git. */
export function envFileFor(configPath: string): string {
  return configPath.replace(/\.json$/i, '') + '.env';
}

export function scheduleSpec(ctx: Ctx, o: { everyS: number; tickTimeoutS: number }): ScheduleSpec {
  if (!isAbsolute(ctx.bin) || !existsSync(ctx.bin)) throw new ConfigError(`cannot tell where looop itself is (${ctx.bin}); run it by its full path`);
  const node = process.execPath;
  return {
    name: unitName(ctx.dataDir, resolveDataDir({ ...ctx.env, LOOOP_DATA_DIR: '' })),
    everyS: o.everyS,
    node,
    bin: ctx.bin,
    dataDir: ctx.dataDir,
    configPath: ctx.configPath,
    path: bakedPath(ctx.env, node),
    envFile: envFileFor(ctx.configPath),
    logPath: ctx.paths.cronLog,
    // The beat kills its runner at tick_timeout; give it room to fail cleanly before systemd steps in.
    timeoutS: o.tickTimeoutS + 300,
  };
}

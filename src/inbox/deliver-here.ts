// Delivers pending inbox records with this profile's config (tick after its beat, the pulse each second).
import { loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { childEnv } from '../paths.ts';
import { deliverPending } from './deliver.ts';
import type { InboxRecord } from './inbox.ts';

export async function deliverInbox(ctx: Ctx, warn: (msg: string) => void): Promise<InboxRecord[]> {
  // An invalid config is told by the beat; records wait until it is fixed.
  const config = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache, env: ctx.env }).catch(() => null);
  if (!config) return [];
  const env = { ...process.env, ...ctx.env, ...childEnv(ctx.paths, ctx.configPath, ctx.bin) };
  return deliverPending(ctx.paths, { notifyCommand: config.notifyCommand, env, warn });
}

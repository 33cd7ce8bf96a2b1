// Resolves the profile a command acts on: data dir, config path, layout, and how to call looop itself.
import { realpathSync, statSync } from 'node:fs';
import { ConfigError } from './errors.ts';
import { layout, resolveConfigPath, resolveDataDir, type Paths } from './paths.ts';
import { registerHosts } from './fleet/remote.ts';

export interface Ctx {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  configPath: string;
  paths: Paths;
  /** Absolute path of the looop executable, exported to children as LOOOP_BIN. */
  bin: string;
}

function selfPath(env: NodeJS.ProcessEnv): string {
  if (env.LOOOP_BIN_OVERRIDE) return env.LOOOP_BIN_OVERRIDE;
  const script = process.argv[1];
  try {
    return script ? realpathSync(script) : 'looop';
  } catch {
    return 'looop';
  }
}

/** A data dir that exists but is not a folder would read as an empty profile ("no workers"): refuse it. */
function checkDataDir(dataDir: string): void {
  let st;
  try {
    st = statSync(dataDir);
  } catch {
    return; // missing: created on first use
  }
  if (!st.isDirectory()) throw new ConfigError(`data dir ${dataDir} is a file, not a folder: point LOOOP_DATA_DIR at a folder (or move the file away)`);
}

export function context(env: NodeJS.ProcessEnv = process.env): Ctx {
  const dataDir = resolveDataDir(env);
  checkDataDir(dataDir);
  const paths = layout(dataDir);
  // The profile's listings read the hosts it has workers on, too.
  registerHosts(paths);
  return { env, dataDir, configPath: resolveConfigPath(env), paths, bin: selfPath(env) };
}

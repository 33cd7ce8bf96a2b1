// `looop schedule install|print|remove`: unattended beats from a systemd --user timer or cron.
import { context, type Ctx } from '../context.ts';
import { LooopError, UsageError } from '../errors.ts';

interface ScheduleArgs {
  /** Seconds (the parser reads 30s, 5m, 1h). */
  every?: number;
  systemd?: boolean;
  cron?: boolean;
}

async function prepare(args: ScheduleArgs) {
  if (args.systemd && args.cron) throw new UsageError('choose one of --systemd or --cron');
  const ctx = context();
  const render = await import('../schedule/render.ts');
  const everyS = args.every ?? 60;
  if (!Number.isInteger(everyS) || everyS < 1) throw new UsageError(`--every takes a whole number of seconds >= 1 (30s, 1m, 5m, 1h), got ${everyS}`);
  const { loadConfig } = await import('../config.ts');
  const config = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache, env: ctx.env });
  const { scheduleSpec } = await import('../schedule/spec.ts');
  const { TEMPLATES } = await import('../schedule/templates.ts');
  const spec = scheduleSpec(ctx, { everyS, tickTimeoutS: config.tickTimeout });
  const cron = render.renderCron(TEMPLATES.crontab, spec);
  return { ctx, spec, render, service: render.renderService(TEMPLATES.service, spec), timer: render.renderTimer(TEMPLATES.timer, spec), cron };
}

export async function print(args: ScheduleArgs): Promise<number> {
  const { ctx, spec, service, timer, cron } = await prepare(args);
  const { unitDir } = await import('../schedule/systemd.ts');
  const parts: string[] = [];
  if (!args.cron) {
    parts.push(`# ${unitDir(ctx.env)}/${spec.name}.service\n${service}`, `# ${unitDir(ctx.env)}/${spec.name}.timer\n${timer}`);
  }
  if (!args.systemd) parts.push(typeof cron === 'string' ? `# crontab line(s) (crontab -e)\n${cron}` : `# crontab: ${cron.problem}\n`);
  process.stdout.write(parts.join('\n'));
  return 0;
}

async function lingerHint(ctx: Ctx): Promise<string> {
  const user = ctx.env.USER || ctx.env.LOGNAME;
  if (!user) return '';
  const { execa } = await import('execa');
  const r = await execa('loginctl', ['show-user', user, '-p', 'Linger'], { env: ctx.env, reject: false, timeout: 5000, stdin: 'ignore' });
  if (String(r.stdout).trim() !== 'Linger=no') return '';
  const on = await execa('loginctl', ['enable-linger', user], { env: ctx.env, reject: false, timeout: 10_000, stdin: 'ignore' });
  if (on.exitCode === 0) return '  lingering enabled for you, so beats go on after you log out\n';
  return `  note: your user manager stops when you log out; to keep beats running run: loginctl enable-linger ${user}\n`;
}

export async function install(args: ScheduleArgs): Promise<number> {
  const { ctx, spec, service, timer, cron, render } = await prepare(args);
  const systemd = await import('../schedule/systemd.ts');
  const crontab = await import('../schedule/cron.ts');
  let kind: 'systemd' | 'cron';
  const sdProblem = args.cron ? 'not asked for' : await systemd.systemdProblem(ctx.env);
  if (args.systemd) {
    if (sdProblem) throw new LooopError(`cannot install a systemd timer: ${sdProblem}; try --cron`);
    kind = 'systemd';
  } else if (!sdProblem) kind = 'systemd';
  else if ((await crontab.readCrontab(ctx.env)) !== null) kind = 'cron';
  else if (args.cron) throw new LooopError('cannot install a cron line: there is no `crontab` command here; install cron, or use --systemd');
  else throw new LooopError(`neither systemd --user (${sdProblem}) nor cron (no crontab command) is available here; run \`looop\` in the foreground, or set up what \`looop schedule print\` shows by hand`);
  const every = render.everyText(spec.everyS);
  if (kind === 'systemd') {
    await crontab.removeCron(ctx.env, spec.name).catch(() => false);
    const files = await systemd.installSystemd(ctx.env, spec.name, service, timer);
    process.stdout.write(
      `installed systemd timer ${spec.name}.timer: one beat every ${every} for ${spec.dataDir}\n` +
        `  files: ${files.join(', ')}\n  logs:  journalctl --user -u ${spec.name}.service\n` +
        (await lingerHint(ctx)) +
        `  runner API keys, if they live in your shell profile: put KEY=value lines in ${spec.envFile}\n` +
        `  check: looop status · undo: looop schedule remove\n`,
    );
    return 0;
  }
  if (typeof cron !== 'string') throw new UsageError(cron.problem);
  await systemd.removeSystemd(ctx.env, spec.name);
  await crontab.installCron(ctx.env, spec.name, cron);
  process.stdout.write(
    `installed a crontab line: one beat every ${every} for ${spec.dataDir}\n  output: ${spec.logPath}\n` +
      `  runner API keys, if they live in your shell profile: put KEY=value lines in ${spec.envFile}\n` +
      `  check: looop status · undo: looop schedule remove\n`,
  );
  return 0;
}

export async function remove(): Promise<number> {
  const ctx = context();
  const { profileUnitName } = await import('../schedule/detect.ts');
  const name = profileUnitName(ctx);
  const { removeSystemd } = await import('../schedule/systemd.ts');
  const { removeCron } = await import('../schedule/cron.ts');
  const files = await removeSystemd(ctx.env, name);
  const cron = await removeCron(ctx.env, name).catch(() => false);
  if (files.length) process.stdout.write(`removed systemd timer ${name}.timer (${files.join(', ')})\n`);
  if (cron) process.stdout.write(`removed this profile's crontab line (${name})\n`);
  if (!files.length && !cron) process.stdout.write(`no schedule installed for ${ctx.dataDir}\n`);
  return 0;
}

export async function show(args: { json?: boolean }): Promise<number> {
  const ctx = context();
  const { detectSchedules } = await import('../schedule/detect.ts');
  const { everyText } = await import('../schedule/render.ts');
  const found = await detectSchedules(ctx);
  if (args.json) process.stdout.write(JSON.stringify(found) + '\n');
  else if (!found.length) process.stdout.write(`no schedule installed for ${ctx.dataDir} (\`looop schedule install\` adds one)\n`);
  else for (const s of found) process.stdout.write(`${s.kind} ${s.name}: every ${s.every_s ? everyText(s.every_s) : '?'} (${s.kind === 'systemd' ? s.where : 'crontab -l'})\n`);
  return 0;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

// Stand-ins for crontab(1) and systemctl(1) that keep their state under the profile's HOME.
const FAKE_CRONTAB = `#!/bin/sh
f="$HOME/fake-crontab"
case "$1" in
  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for $USER" >&2; exit 1; fi ;;
  -) cat > "$f" ;;
  *) exit 2 ;;
esac
`;
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$*" >> "$HOME/systemctl.log"
exit 0
`;
const NO_SYSTEMCTL = `#!/bin/sh
echo "Failed to connect to bus: No medium found" >&2
exit 1
`;

function withFakes(p: Profile, systemctl = FAKE_SYSTEMCTL): NodeJS.ProcessEnv {
  const bin = join(p.root, 'fakebin');
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of [['crontab', FAKE_CRONTAB], ['systemctl', systemctl], ['loginctl', '#!/bin/sh\nexit 1\n']] as const) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  return { PATH: `${bin}:${process.env.PATH}`, USER: 'tester' };
}

const crontab = (p: Profile) => (existsSync(join(p.home, 'fake-crontab')) ? readFileSync(join(p.home, 'fake-crontab'), 'utf8') : '');
const cronCommand = (line: string) => line.trim().split(/\s+/).slice(5).join(' ');

test('schedule install --cron writes one marked crontab line per profile, idempotently, keeps other lines, and remove undoes it', () => {
  const p = makeProfile('looop-sched');
  try {
    const env = withFakes(p, NO_SYSTEMCTL);
    writeFileSync(join(p.home, 'fake-crontab'), '0 3 * * * backup.sh\n');
    const r = p.run(['schedule', 'install', '--every', '5m'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /installed a crontab line: one beat every 5m/);
    p.run(['schedule', 'install', '--cron', '--every', '5m'], { env });
    const lines = crontab(p).split('\n').filter(Boolean);
    assert.equal(lines[0], '0 3 * * * backup.sh', "the user's own lines stay");
    const ours = lines.filter((l) => !l.startsWith('#') && l.includes('# looop-schedule:'));
    assert.equal(ours.length, 1, 'reinstalling replaces, never duplicates');
    assert.match(ours[0]!, /^\*\/5 \* \* \* \* /);
    assert.ok(ours[0]!.includes(`LOOOP_DATA_DIR=${p.dataDir}`));
    assert.ok(ours[0]!.includes(`LOOOP_CONFIG=${p.configPath}`));
    assert.ok(ours[0]!.includes(`${process.execPath} `), 'absolute node');

    const status = JSON.parse(p.run(['status', '--json'], { env }).stdout);
    assert.equal(status.driver, 'cron');
    assert.equal(status.schedule[0].every_s, 300);

    const other = makeProfile('looop-sched-other');
    try {
      const otherEnv = { ...env, HOME: p.home };
      assert.equal(other.run(['schedule', 'install', '--cron'], { env: otherEnv }).code, 0);
      assert.equal(crontab(p).split('\n').filter((l) => l.includes('every=')).length, 2, 'two profiles, two lines');
      assert.equal(other.run(['schedule', 'remove'], { env: otherEnv }).code, 0);
    } finally {
      other.cleanup();
    }
    assert.equal(crontab(p).split('\n').filter((l) => l.includes('every=')).length, 1, "removing one profile's line leaves the other's");

    const rm = p.run(['schedule', 'remove'], { env });
    assert.match(rm.stdout, /removed this profile's crontab line/);
    assert.equal(crontab(p), '0 3 * * * backup.sh\n');
    assert.match(p.run(['schedule', 'remove'], { env }).stdout, /no schedule installed/);
    assert.equal(p.run(['schedule', 'install', '--cron', '--every', '7m'], { env }).code, 2, 'cron cannot do every 7 minutes');
  } finally {
    p.cleanup();
  }
});

test('the cron line runs a real beat under cron\'s minimal environment (env -i, PATH=/usr/bin:/bin): node, looop and tmux are found', () => {
  const p = makeProfile('looop-sched');
  try {
    const runner = scriptedRunner(p);
    runner.queue({ action: 'noop', reason: 'scheduled beat', journal: 'beat from cron' });
    const env = withFakes(p, NO_SYSTEMCTL);
    assert.equal(p.run(['schedule', 'install', '--cron'], { env }).code, 0);
    const line = crontab(p).split('\n').find((l) => l.includes('every=') && !l.startsWith('#'))!;
    const r = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', `HOME=${p.home}`, 'SHELL=/bin/sh', 'LOGNAME=tester', 'sh', '-c', cronCommand(line)], { encoding: 'utf8', timeout: 60_000 });
    const log = readFileSync(join(p.dataDir, '.cron.log'), 'utf8');
    assert.equal(r.status, 0, `${r.stderr}\n--- .cron.log:\n${log}`);
    assert.equal(runner.calls(), 1, `the runner was called\n${log}`);
    assert.match(readFileSync(join(p.dataDir, 'journal.md'), 'utf8'), /beat from cron/);
    assert.doesNotMatch(log, /not found|tmux is missing/i);
  } finally {
    p.cleanup();
  }
});

test('schedule install --systemd writes a service and timer that systemd-analyze accepts, enables the timer; remove disables it', (t) => {
  const p = makeProfile('looop-sched');
  try {
    const env = withFakes(p);
    const r = p.run(['schedule', 'install', '--every', '90s'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /installed systemd timer (looop-[0-9a-f]{8})\.timer: one beat every 90s/);
    const name = /systemd timer (\S+)\.timer/.exec(r.stdout)![1]!;
    const dir = join(p.home, '.config', 'systemd', 'user');
    const service = readFileSync(join(dir, `${name}.service`), 'utf8');
    const timer = readFileSync(join(dir, `${name}.timer`), 'utf8');
    assert.match(service, new RegExp(`^ExecStart="${process.execPath}" ".*looop\\.mjs" tick$`, 'm'));
    assert.ok(service.includes(`Environment="LOOOP_DATA_DIR=${p.dataDir}"`));
    assert.ok(service.includes(`Environment="LOOOP_CONFIG=${p.configPath}"`));
    assert.match(service, /^Environment="PATH=[^"]*\/usr\/bin[^"]*"$/m);
    assert.match(timer, /^OnUnitActiveSec=90s$/m);
    const calls = readFileSync(join(p.home, 'systemctl.log'), 'utf8');
    assert.match(calls, /--user daemon-reload/);
    assert.match(calls, new RegExp(`--user enable --now ${name}\\.timer`));
    assert.equal(JSON.parse(p.run(['status', '--json'], { env }).stdout).driver, 'systemd');

    const analyze = spawnSync('systemd-analyze', ['verify', join(dir, `${name}.service`), join(dir, `${name}.timer`)], { encoding: 'utf8' });
    if (analyze.error) t.diagnostic('systemd-analyze not installed: unit files not verified');
    else if (/Failed to initialize manager/.test(analyze.stderr)) t.diagnostic('systemd-analyze cannot run here');
    else {
      assert.equal(analyze.status, 0, analyze.stderr);
      assert.equal(analyze.stderr.trim(), '', 'no warnings about our units');
    }

    assert.match(p.run(['schedule', 'remove'], { env }).stdout, /removed systemd timer/);
    assert.ok(!existsSync(join(dir, `${name}.timer`)));
    assert.match(readFileSync(join(p.home, 'systemctl.log'), 'utf8'), new RegExp(`--user disable --now ${name}\\.timer`));
  } finally {
    p.cleanup();
  }
});

test('schedule print shows the files without installing; without systemd or cron, install says what to do', () => {
  const p = makeProfile('looop-sched');
  try {
    const out = p.run(['schedule', 'print']).stdout;
    assert.match(out, /^\[Service\]$/m);
    assert.match(out, /^\[Timer\]$/m);
    assert.match(out, /^\* \* \* \* \* .* tick >> .*\.cron\.log 2>&1 # looop-schedule:/m);
    assert.ok(!existsSync(join(p.home, '.config', 'systemd')));
    const bin = join(p.root, 'nobin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'systemctl'), NO_SYSTEMCTL);
    chmodSync(join(bin, 'systemctl'), 0o755);
    // Only the failing systemctl on PATH: never the machine's own crontab, which this would write to.
    const r = p.run(['schedule', 'install'], { env: { PATH: bin } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /neither systemd --user .* nor cron .* is available here/);
  } finally {
    p.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { LooopError, asUserError, errorMessage } from '../src/errors.ts';
import { resolveConfigPath, resolveDataDir } from '../src/paths.ts';

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw, ${syscall} '${path}'`), { code, syscall, path });
}

test('a raw errno becomes one human line naming the path', () => {
  assert.equal(errorMessage(errno('EROFS', 'mkdir', '/d/.lock')), 'cannot create folder /d/.lock: the file system is read-only (EROFS)');
  assert.equal(errorMessage(errno('ENOSPC', 'write', '/d/journal.md')), 'cannot write /d/journal.md: no space left on the device (ENOSPC)');
  assert.equal(errorMessage(new Error('plain')), 'plain');
});

test('asUserError turns a system error about a path into a LooopError (one line, exit 1), and leaves others alone', () => {
  let real: unknown;
  try {
    mkdirSync('/proc/looop-cannot-be-here');
  } catch (err) {
    real = err;
  }
  const e = asUserError(real);
  assert.ok(e instanceof LooopError);
  assert.match((e as Error).message, /^cannot create folder \/proc\/looop-cannot-be-here: /);
  const other = new Error('x');
  assert.equal(asUserError(other), other);
});

test("LOOOP_DATA_DIR='~/x' (quoted, so the shell left ~ alone) is the home's x, not a folder named ~", () => {
  assert.equal(resolveDataDir({ LOOOP_DATA_DIR: '~/x', HOME: '/home/u' }), '/home/u/x');
  assert.equal(resolveConfigPath({ LOOOP_CONFIG: '~/c.json', HOME: '/home/u' }), '/home/u/c.json');
  assert.equal(resolveDataDir({ LOOOP_DATA_DIR: '/a/~b', HOME: '/home/u' }), '/a/~b');
});

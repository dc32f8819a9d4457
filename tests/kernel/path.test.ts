// The root jail, unit by unit: every resolution stays under the root, whatever `..` and symlinks say.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../kernel/abi/errno.js';
import { Vfs, type Resolved } from '../../kernel/fs/vfs.js';

function fixture(): Vfs {
  const dir = mkdtempSync(join(tmpdir(), 'levitate-path-'));
  mkdirSync(join(dir, 'etc'));
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'etc/passwd'), 'guest\n');
  symlinkSync('/etc', join(dir, 'home/abs'));
  symlinkSync('../../../../etc', join(dir, 'home/rel'));
  symlinkSync('/home/b', join(dir, 'home/a'));
  symlinkSync('/home/a', join(dir, 'home/b'));
  return new Vfs(dir);
}

describe('Vfs.resolve: the root jail', () => {
  const root = fixture();
  const guest = (p: string, base = '/', follow = true) => (root.resolve(p, base, follow) as Resolved).guest;
  it('`..` stops at the root', () => {
    expect(guest('../../../etc/passwd')).toBe('/etc/passwd');
    expect(guest('../..', '/home')).toBe('/');
  });
  it('absolute and relative symlinks resolve inside the root', () => {
    expect(guest('/home/abs/passwd')).toBe('/etc/passwd');
    expect(guest('/home/rel/passwd')).toBe('/etc/passwd');
    expect((root.resolve('/home/abs/passwd', '/', true) as Resolved).host.startsWith(root.rootDir)).toBe(true);
  });
  it('the last component is followed only when asked', () => {
    expect(guest('/home/abs', '/', false)).toBe('/home/abs');
    expect(guest('/home/abs', '/', true)).toBe('/etc');
  });
  it('loops give ELOOP, files in the middle ENOTDIR, missing parents ENOENT', () => {
    expect(root.resolve('/home/a', '/', true)).toBe(-ERRNO.ELOOP);
    expect(root.resolve('/etc/passwd/x', '/', true)).toBe(-ERRNO.ENOTDIR);
    expect(root.resolve('/nope/x', '/', true)).toBe(-ERRNO.ENOENT);
    expect(root.resolve('', '/', true)).toBe(-ERRNO.ENOENT);
  });
});

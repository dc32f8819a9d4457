// The embedded default root filesystem of `levitate boot`: a small system made only of our own programs in
// userspace/ (committed AArch64 binaries, nothing downloaded). It is assembled once into the cache, in a directory
// named by the hash of its contents, and booted read-only (boot puts tmpfs on /tmp and /root):
//   /sbin/init                    userspace/init    (PID 1: runs /bin/sh, reaps orphans, ends with the shell)
//   /bin/sh                       userspace/sh
//   /bin/levbox + applet links    userspace/levbox  (cat echo env false head kill ls sleep sort true wc)
//   /usr/lib/levitate/tests/      the kernel conformance tests, run by `levbox test`
//   /etc/{passwd,group,hostname,motd}, and empty /dev /proc /tmp /root as mount points
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LevitateError } from '../translator/errors.js';

const USERSPACE = fileURLToPath(new URL('../../userspace/', import.meta.url));

/** levbox's applets that get a name of their own under /bin (`test` stays `levbox test`: sh has no `[`). */
export const APPLETS = ['cat', 'echo', 'env', 'false', 'head', 'kill', 'ls', 'sleep', 'sort', 'true', 'wc'];

/** Layout version: bump when the tree below changes shape, so an old tree in the cache is not reused. */
const LAYOUT = 1;

const TEXT: Record<string, string> = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
  'etc/group': 'root:x:0:\n',
  'etc/hostname': 'levitate\n',
  'etc/motd': [
    'Levitate: the default system, built from userspace/ (init, sh, levbox).',
    '/ is read-only; /tmp and /root are tmpfs. Commands: ' + APPLETS.slice(0, 5).join(' '),
    APPLETS.slice(5).join(' ') + '; `levbox test` runs the kernel conformance tests.',
    '`exit` powers off.',
    '',
  ].join('\n'),
};

interface Entry {
  /** Path in the tree. */
  at: string;
  /** Host file to copy, or text to write. */
  from?: string;
  text?: string;
  link?: string;
  mode: number;
}

function entries(): Entry[] {
  const bin = (name: string) => path.join(USERSPACE, `${name}.musl`);
  const out: Entry[] = [
    { at: 'sbin/init', from: bin('init'), mode: 0o755 },
    { at: 'bin/sh', from: bin('sh'), mode: 0o755 },
    { at: 'bin/levbox', from: bin('levbox'), mode: 0o755 },
    ...APPLETS.map((a) => ({ at: `bin/${a}`, link: 'levbox', mode: 0o777 })),
    ...Object.entries(TEXT).map(([at, text]) => ({ at, text, mode: 0o644 })),
  ];
  const tests = path.join(USERSPACE, 'tests');
  for (const f of fs.readdirSync(tests).sort()) {
    if (f.endsWith('.musl')) out.push({ at: `usr/lib/levitate/tests/${f.slice(0, -5)}`, from: path.join(tests, f), mode: 0o755 });
  }
  return out;
}

const DIRS: [string, number][] = [['dev', 0o755], ['proc', 0o555], ['tmp', 0o1777], ['root', 0o700], ['etc', 0o755]];

/**
 * The host directory holding the default rootfs, assembled under `cacheDir` if it is not there yet (into a
 * temporary directory, renamed into place: concurrent boots never see half a tree).
 */
export function defaultRootfs(cacheDir: string): string {
  const list = entries();
  for (const e of list) {
    if (e.from && !fs.existsSync(e.from)) throw new LevitateError(`default rootfs: ${e.from} is missing (run tools/build-guests.sh)`);
  }
  const h = createHash('sha256').update(`layout ${LAYOUT}\n`);
  for (const e of list) {
    h.update(`${e.at} ${e.mode.toString(8)} ${e.link ?? ''}\n`);
    if (e.from) h.update(fs.readFileSync(e.from));
    if (e.text) h.update(e.text);
  }
  const dest = path.join(cacheDir, 'rootfs', `default-${h.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(dest)) return dest;

  const tmp = `${dest}.new.${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const [d, mode] of DIRS) {
    fs.mkdirSync(path.join(tmp, d), { recursive: true });
    fs.chmodSync(path.join(tmp, d), mode);
  }
  for (const e of list) {
    const to = path.join(tmp, e.at);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (e.link) fs.symlinkSync(e.link, to);
    else {
      if (e.from) fs.copyFileSync(e.from, to);
      else fs.writeFileSync(to, e.text ?? '');
      fs.chmodSync(to, e.mode);
    }
  }
  try {
    fs.renameSync(tmp, dest);
  } catch (err) {
    // Another boot put the same tree there first.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(dest)) throw err;
  }
  return dest;
}

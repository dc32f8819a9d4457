// tmpfs mounts are backed by a private host directory (fs.mkdtempSync under os.tmpdir(), mode 0700), so every
// file operation stays on the host-fd paths of hostfs. The mount's root is a subdirectory of it with tmpfs's
// mode 1777 (the private parent keeps other host users out). It is empty at mount and removed when the kernel
// is done with it — at the end of the run, and on any way out of the host process (see host-exit.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { atHostExit } from '../host-exit.js';

const live = new Set<string>();
let hooked = false;

/** A new empty host directory that is the root of one tmpfs mount. */
export function makeTmpfsDir(): string {
  if (!hooked) {
    hooked = true;
    atHostExit(removeAll);
  }
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'levitate-tmpfs-'));
  live.add(dir);
  fs.chmodSync(dir, 0o700);
  const root = nodePath.join(dir, 'root');
  fs.mkdirSync(root);
  fs.chmodSync(root, 0o1777);
  return root;
}

/** Removes a tmpfs (its root as makeTmpfsDir gave it) and everything in it from the host. */
export function removeTmpfsDir(root: string): void {
  remove(nodePath.dirname(root));
}

function remove(dir: string): void {
  if (!live.delete(dir)) return;
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // The guest may have taken write or search permission away from its directories: give it back, try again.
    try {
      makeRemovable(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // a file the host holds busy: nothing better to do at exit
    }
  }
}

function makeRemovable(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) makeRemovable(nodePath.join(dir, e.name));
}

function removeAll(): void {
  hooked = false;
  for (const dir of [...live]) remove(dir);
}

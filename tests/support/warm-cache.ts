// Before the suites: translate the images many tests run (Debian's busybox, the glibc fixtures) into the tests'
// cache once, so parallel suites hit the cache instead of each translating the same image.
import { existsSync } from 'node:fs';
import { BUSYBOX, ROOT, run } from './tools.js';

export default function setup(): void {
  const images = [BUSYBOX, `${ROOT}samples/hello/hello.glibc`, `${ROOT}userspace/tests/syscall-abi.glibc`, `${ROOT}userspace/tests/files-and-memory.glibc`];
  for (const img of images) {
    if (!existsSync(img)) continue;
    const r = run('node', [`${ROOT}bin/levitate.js`, 'translate', img]);
    if (r.status !== 0) throw new Error(`warming the translation cache with ${img} failed: ${r.stderr}`);
  }
}

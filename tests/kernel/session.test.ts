// Process groups and pid 1 without a terminal (kernel/proc/session.ts, the kill syscall): the first process's
// group is orphaned, so stop signals other than SIGSTOP are discarded there; pid 1 ignores signals that other
// processes send it at their default action, as Linux's init does. The terminal side is tests/interactive/.
import { describe, expect, it } from 'vitest';
import { BUSYBOX, available, levitate } from '../support/tools.js';

const ok = available('session kernel tests', { files: [BUSYBOX] });

describe.runIf(ok)('pid 1 and orphaned groups', () => {
  it('pid 1 ignores a default-action signal from another process, not one from itself', () => {
    const r = levitate(['run', BUSYBOX, 'sh', '-c', `${BUSYBOX} kill -TERM 1; echo alive; kill -TERM $$; echo unreachable`]);
    expect(r.stdout).toBe('alive\n');
    expect(r.status).toBe(143);
  });

  it('a handled signal from another process still reaches pid 1', () => {
    const r = levitate(['run', BUSYBOX, 'sh', '-c', `trap 'echo got USR1' USR1; ${BUSYBOX} kill -USR1 1; echo after`]);
    expect(r.stdout).toBe('got USR1\nafter\n');
  });

  it('SIGTSTP is discarded in the orphaned group of the first process; SIGSTOP still stops', () => {
    const r = levitate(['run', BUSYBOX, 'sh', '-c', 'kill -TSTP $$; echo survived; sleep 0.1 & kill -TSTP $!; wait $!; echo "sleep $?"']);
    expect(r.stdout).toBe('survived\nsleep 0\n');
    // The state letter of /proc/PID/stat: T (stopped) after SIGSTOP, still S after SIGTSTP.
    const state = 'cut -d" " -f3 /proc/$!/stat; kill -9 $!';
    const stop = levitate(['run', BUSYBOX, 'sh', '-c', `sleep 5 & kill -STOP $!; sleep 0.2; ${state}; sleep 5 & kill -TSTP $!; sleep 0.2; ${state}`]);
    expect(stop.stdout).toBe('T\nS\n');
  });
});

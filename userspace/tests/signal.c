/* Kernel conformance: signals. sigaction with SA_SIGINFO (si_signo, si_code, si_pid), raise/kill/tgkill,
 * blocking and pending, sigsuspend, SA_RESETHAND, SA_NODEFER, sa_mask, SA_RESTART vs EINTR, sigaltstack with
 * SA_ONSTACK, sigtimedwait, default actions (in children), recovery from SIGSEGV with siglongjmp.
 * Handlers only record into volatile sig_atomic_t. One line per check; exits 0 only when all passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;
static void check(int ok, const char *what) {
  if (!ok) failed++;
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  fflush(stdout);
}

static int reap(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : -2;
}

static void set_handler(int sig, void (*h)(int), int flags, const sigset_t *mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  if (mask) sa.sa_mask = *mask;
  else sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static sigset_t one(int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  return s;
}

static int blocked_now(int sig) {
  sigset_t m;
  sigprocmask(SIG_BLOCK, NULL, &m);
  return sigismember(&m, sig);
}

/* SA_SIGINFO. */
static volatile sig_atomic_t info_count, info_signo, info_code, info_pid;
static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  info_count++;
  info_signo = si->si_signo;
  info_code = si->si_code;
  info_pid = si->si_pid;
}

static volatile sig_atomic_t hits;
static void on_count(int sig) { (void)sig, hits++; }

/* Own signal and sa_mask during the handler. */
static volatile sig_atomic_t in_own_blocked, in_usr2_blocked;
static void on_mask(int sig) {
  in_own_blocked = blocked_now(sig);
  in_usr2_blocked = blocked_now(SIGUSR2);
}

/* Re-raise from inside the handler: nested with SA_NODEFER, deferred without. */
static volatile sig_atomic_t depth, max_depth, calls;
static void on_reraise(int sig) {
  calls++;
  depth++;
  if (depth > max_depth) max_depth = depth;
  if (calls == 1) raise(sig);
  depth--;
}

/* Alternate stack. */
static volatile sig_atomic_t alt_seen, alt_onstack_flag;
static volatile uintptr_t alt_local;
static void on_alt(int sig) {
  (void)sig;
  volatile char local = 0;
  alt_local = (uintptr_t)&local;
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0) alt_onstack_flag = (cur.ss_flags & SS_ONSTACK) != 0;
  alt_seen = 1;
}

static sigjmp_buf jb;
static volatile sig_atomic_t segv_count;
static void on_segv(int sig) {
  (void)sig;
  segv_count++;
  siglongjmp(jb, 1);
}

static int *volatile null_pointer;

int main(void) {
  pid_t me = getpid();
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core); /* the children killed by SIGSEGV/SIGILL leave no core files */

  /* SA_SIGINFO with raise, kill, tgkill. */
  {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction installs an SA_SIGINFO handler");
    struct sigaction back;
    check(sigaction(SIGUSR1, NULL, &back) == 0 && back.sa_sigaction == on_info && (back.sa_flags & SA_SIGINFO),
          "sigaction reads the handler back");
    info_count = 0;
    raise(SIGUSR1);
    check(info_count == 1 && info_signo == SIGUSR1, "raise: handler runs with si_signo SIGUSR1");
    check(info_code == SI_TKILL && info_pid == me, "raise: si_code SI_TKILL, si_pid ours");
    kill(me, SIGUSR1);
    check(info_count == 2 && info_code == SI_USER && info_pid == me, "kill(self): si_code SI_USER, si_pid ours");
    syscall(SYS_tgkill, me, (pid_t)syscall(SYS_gettid), SIGUSR1);
    check(info_count == 3 && info_code == SI_TKILL, "tgkill(self): si_code SI_TKILL");
    sigset_t s = one(SIGUSR1), old;
    sigprocmask(SIG_BLOCK, &s, &old);
    pid_t pid = fork();
    if (pid == 0) _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    reap(pid);
    check(info_count == 3, "signal from a child stays pending while blocked");
    sigset_t pend;
    sigpending(&pend);
    check(sigismember(&pend, SIGUSR1), "sigpending shows it");
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(info_count == 4, "delivered when unblocked");
    check(info_code == SI_USER && info_pid == pid, "kill from a child: si_code SI_USER, si_pid the child's");
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR1), "no longer pending after delivery");
    /* Standard signals do not queue: two raises while blocked are delivered once. */
    sigprocmask(SIG_BLOCK, &s, &old);
    raise(SIGUSR1), raise(SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(info_count == 5, "two raises while blocked: delivered once");
    signal(SIGUSR1, SIG_DFL);
  }

  /* sigsuspend waits, delivers, and restores the mask. */
  {
    set_handler(SIGUSR1, on_count, 0, NULL);
    sigset_t s = one(SIGUSR1), old;
    sigprocmask(SIG_BLOCK, &s, &old);
    hits = 0;
    pid_t pid = fork();
    if (pid == 0) {
      usleep(20000);
      _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    }
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    errno = 0;
    int r = sigsuspend(&wait_mask);
    check(r == -1 && errno == EINTR && hits == 1, "sigsuspend returns -1 EINTR after the handler ran");
    check(blocked_now(SIGUSR1), "sigsuspend restores the mask (SIGUSR1 blocked again)");
    reap(pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGUSR1, SIG_DFL);
  }

  /* A signal's own number is blocked in its handler; sa_mask adds more; both undone after. */
  {
    sigset_t extra = one(SIGUSR2);
    set_handler(SIGUSR1, on_mask, 0, &extra);
    raise(SIGUSR1);
    check(in_own_blocked, "handler's own signal blocked during the handler");
    check(in_usr2_blocked, "sa_mask (SIGUSR2) applied during the handler");
    check(!blocked_now(SIGUSR1) && !blocked_now(SIGUSR2), "mask restored after the handler returns");
    set_handler(SIGUSR1, on_mask, SA_NODEFER, NULL);
    raise(SIGUSR1);
    check(!in_own_blocked, "SA_NODEFER: own signal not blocked in the handler");
    signal(SIGUSR1, SIG_DFL);
  }

  /* Re-raising inside the handler. */
  {
    set_handler(SIGUSR1, on_reraise, SA_NODEFER, NULL);
    depth = max_depth = calls = 0;
    raise(SIGUSR1);
    check(calls == 2 && max_depth == 2, "SA_NODEFER: handler re-entered (nested)");
    set_handler(SIGUSR1, on_reraise, 0, NULL);
    depth = max_depth = calls = 0;
    raise(SIGUSR1);
    check(calls == 2 && max_depth == 1, "without SA_NODEFER: the re-raise waits for the handler to return");
    signal(SIGUSR1, SIG_DFL);
  }

  /* SA_RESETHAND: first delivery to the handler, then the default action (in a child). */
  {
    int p[2];
    if (pipe(p)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      set_handler(SIGUSR1, on_count, SA_RESETHAND, NULL);
      hits = 0;
      raise(SIGUSR1);
      struct sigaction cur;
      sigaction(SIGUSR1, NULL, &cur);
      char r = hits == 1 && cur.sa_handler == SIG_DFL ? 'y' : 'n';
      if (write(p[1], &r, 1) != 1) _exit(2);
      raise(SIGUSR1);
      _exit(0);
    }
    close(p[1]);
    char r = 0;
    check(read(p[0], &r, 1) == 1 && r == 'y', "SA_RESETHAND: handler runs once, disposition back to SIG_DFL");
    check(reap(pid) == 1000 + SIGUSR1, "SA_RESETHAND: second SIGUSR1 kills the child");
    close(p[0]);
  }

  /* SA_RESTART: a blocking pipe read interrupted by a handled signal restarts; without it, EINTR. */
  {
    int p[2];
    if (pipe(p)) return 1;
    set_handler(SIGUSR1, on_count, SA_RESTART, NULL);
    hits = 0;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      usleep(30000);
      kill(getppid(), SIGUSR1);
      usleep(30000);
      _exit(write(p[1], "data", 4) == 4 ? 0 : 1);
    }
    char buf[8];
    ssize_t n = read(p[0], buf, sizeof buf);
    check(n == 4 && hits == 1, "SA_RESTART: read restarted after the handler, returns the data");
    reap(pid);

    set_handler(SIGUSR1, on_count, 0, NULL);
    hits = 0;
    int ack[2];
    if (pipe(ack)) return 1;
    pid = fork();
    if (pid == 0) { /* signal until the parent says its read was interrupted, then write */
      close(p[0]), close(ack[1]);
      char c;
      for (int i = 0; i < 100; i++) {
        usleep(i == 0 ? 30000 : 20000);
        kill(getppid(), SIGUSR1);
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(ack[0], &rd);
        struct timeval tv = {0, 50000};
        if (select(ack[0] + 1, &rd, NULL, NULL, &tv) == 1 && read(ack[0], &c, 1) == 1) break;
      }
      _exit(write(p[1], "more", 4) == 4 ? 0 : 1);
    }
    close(ack[0]);
    errno = 0;
    n = read(p[0], buf, sizeof buf);
    int e = errno;
    check(n == -1 && e == EINTR && hits >= 1, "without SA_RESTART: read returns -1 EINTR");
    if (write(ack[1], "k", 1) != 1) return 1;
    check(read(p[0], buf, sizeof buf) == 4, "the data arrives on the next read");
    reap(pid);
    close(ack[1]), close(p[0]), close(p[1]);
    signal(SIGUSR1, SIG_DFL);
  }

  /* sigaltstack and SA_ONSTACK. */
  {
    static char altstack[65536] __attribute__((aligned(16)));
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0}, old;
    check(sigaltstack(&ss, &old) == 0, "sigaltstack installs a 64 KiB stack");
    stack_t cur;
    check(sigaltstack(NULL, &cur) == 0 && cur.ss_sp == altstack && cur.ss_size == sizeof altstack &&
              !(cur.ss_flags & SS_ONSTACK),
          "sigaltstack reads it back, not on it");
    set_handler(SIGUSR1, on_alt, SA_ONSTACK, NULL);
    raise(SIGUSR1);
    check(alt_seen && alt_local >= (uintptr_t)altstack && alt_local < (uintptr_t)altstack + sizeof altstack,
          "SA_ONSTACK handler's locals lie on the alternate stack");
    check(alt_onstack_flag, "sigaltstack in the handler reports SS_ONSTACK");
    set_handler(SIGUSR1, on_alt, 0, NULL);
    alt_seen = 0;
    raise(SIGUSR1);
    check(alt_seen && !(alt_local >= (uintptr_t)altstack && alt_local < (uintptr_t)altstack + sizeof altstack),
          "without SA_ONSTACK the handler runs on the normal stack");
    ss.ss_flags = SS_DISABLE;
    check(sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE),
          "SS_DISABLE removes it");
    signal(SIGUSR1, SIG_DFL);
  }

  /* sigtimedwait. */
  {
    sigset_t s = one(SIGUSR2), old;
    sigprocmask(SIG_BLOCK, &s, &old);
    raise(SIGUSR2);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    struct timespec ts = {0, 0};
    check(sigtimedwait(&s, &si, &ts) == SIGUSR2 && si.si_signo == SIGUSR2, "sigtimedwait takes a pending SIGUSR2");
    sigset_t pend;
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR2), "and it is no longer pending");
    struct timespec ts10 = {0, 10000000};
    errno = 0;
    check(sigtimedwait(&s, &si, &ts10) == -1 && errno == EAGAIN, "sigtimedwait times out: EAGAIN");
    pid_t pid = fork();
    if (pid == 0) {
      usleep(20000);
      _exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
    }
    int sig = 0;
    check(sigwait(&s, &sig) == 0 && sig == SIGUSR2, "sigwait receives a signal sent later by a child");
    reap(pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
  }

  /* Default actions, in children. */
  {
    pid_t pid = fork();
    if (pid == 0) {
      raise(SIGTERM);
      _exit(0);
    }
    check(reap(pid) == 1000 + SIGTERM, "SIGTERM default: terminates");
    pid = fork();
    if (pid == 0) {
      *null_pointer = 1;
      _exit(0);
    }
    check(reap(pid) == 1000 + SIGSEGV, "write through a null pointer: killed by SIGSEGV");
    pid = fork();
    if (pid == 0) {
      __builtin_trap();
      _exit(0);
    }
    check(reap(pid) >= 1000, "__builtin_trap: killed by a signal");
    pid = fork();
    if (pid == 0) {
#if defined(__aarch64__)
      __asm__ volatile(".inst 0x00000000"); /* UDF #0 */
#elif defined(__x86_64__) || defined(__i386__)
      __asm__ volatile("ud2");
#else
      raise(SIGILL);
#endif
      _exit(0);
    }
    check(reap(pid) == 1000 + SIGILL, "undefined instruction: killed by SIGILL");
    pid = fork();
    if (pid == 0) {
      raise(SIGCHLD);
      raise(SIGURG);
      raise(SIGWINCH);
      _exit(0);
    }
    check(reap(pid) == 0, "SIGCHLD, SIGURG, SIGWINCH default: ignored");
    pid = fork();
    if (pid == 0) {
      signal(SIGUSR1, SIG_IGN);
      raise(SIGUSR1);
      kill(getpid(), SIGUSR1);
      _exit(0);
    }
    check(reap(pid) == 0, "SIGUSR1 with SIG_IGN: ignored");
    pid = fork();
    if (pid == 0) {
      signal(SIGKILL, SIG_IGN); /* EINVAL, and SIGKILL still kills */
      raise(SIGKILL);
      _exit(0);
    }
    check(reap(pid) == 1000 + SIGKILL, "SIGKILL cannot be ignored");
    errno = 0;
    check(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL, "sigaction on SIGKILL: EINVAL");
    errno = 0;
    check(signal(SIGSTOP, on_count) == SIG_ERR && errno == EINVAL, "sigaction on SIGSTOP: EINVAL");
  }

  /* Recovering from SIGSEGV with siglongjmp. */
  {
    set_handler(SIGSEGV, on_segv, 0, NULL);
    segv_count = 0;
    if (sigsetjmp(jb, 1) == 0) {
      *null_pointer = 1;
      check(0, "SIGSEGV handler runs");
    } else {
      check(segv_count == 1, "SIGSEGV handler runs and siglongjmps out");
    }
    check(!blocked_now(SIGSEGV), "siglongjmp restored the mask (SIGSEGV not blocked)");
    if (sigsetjmp(jb, 1) == 0) {
      *null_pointer = 2;
    }
    check(segv_count == 2, "a second fault is caught too");
    signal(SIGSEGV, SIG_DFL);
  }

  printf("%s\n", failed ? "FAILED" : "all passed");
  return failed != 0;
}

/* Kernel conformance: wait4, waitpid, waitid and process groups/sessions. Exit status encoding, death by
 * signal, WNOHANG, ECHILD, waiting for one pid among several, zombies, SIGCHLD, WUNTRACED/WCONTINUED,
 * setpgid/setsid. One line per check, no pids printed; exits 0 only when every check passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;
static void check(int ok, const char *what) {
  if (!ok) failed++;
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  fflush(stdout);
}

static pid_t child_exiting(int code) {
  pid_t pid = fork();
  if (pid == 0) _exit(code);
  return pid;
}

/* A child that waits until its end of `p` is readable (or EOF), then exits with `code`. */
static pid_t child_waiting(int p[2], int code) {
  pid_t pid = fork();
  if (pid == 0) {
    close(p[1]);
    char c;
    while (read(p[0], &c, 1) < 0 && errno == EINTR) {}
    _exit(code);
  }
  return pid;
}

static volatile sig_atomic_t chld_count, chld_code;
static volatile pid_t chld_pid;
static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  chld_count++;
  chld_pid = si->si_pid;
  chld_code = si->si_code;
}

int main(void) {
  int st;
  errno = 0;
  check(waitpid(-1, &st, 0) == -1 && errno == ECHILD, "waitpid(-1) with no children: ECHILD");
  errno = 0;
  check(wait(&st) == -1 && errno == ECHILD, "wait with no children: ECHILD");

  /* Exit status encoding. */
  int codes[] = {0, 1, 255};
  for (int i = 0; i < 3; i++) {
    pid_t pid = child_exiting(codes[i]);
    char line[80];
    snprintf(line, sizeof line, "exit(%d): WIFEXITED, WEXITSTATUS %d", codes[i], codes[i]);
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WIFSIGNALED(st) && WEXITSTATUS(st) == codes[i], line);
  }
  {
    pid_t pid = child_exiting(256 + 7);
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "exit(263) keeps the low 8 bits");
  }

  /* Killed by a signal. */
  {
    pid_t pid = fork();
    if (pid == 0) {
      raise(SIGTERM);
      _exit(0);
    }
    check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && !WIFEXITED(st) && WTERMSIG(st) == SIGTERM,
          "child raising SIGTERM: WIFSIGNALED, WTERMSIG SIGTERM");
    pid = fork();
    if (pid == 0) {
      kill(getpid(), SIGKILL);
      _exit(0);
    }
    check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
          "child sending itself SIGKILL: WTERMSIG SIGKILL");
    int p[2];
    if (pipe(p)) return 1;
    pid = child_waiting(p, 0);
    close(p[0]);
    kill(pid, SIGKILL);
    check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
          "parent kills a blocked child with SIGKILL");
    close(p[1]);
  }

  /* WNOHANG. */
  {
    int p[2];
    if (pipe(p)) return 1;
    pid_t pid = child_waiting(p, 5);
    close(p[0]);
    check(waitpid(pid, &st, WNOHANG) == 0, "WNOHANG with a running child returns 0");
    check(waitpid(-1, &st, WNOHANG) == 0, "waitpid(-1, WNOHANG) with a running child returns 0");
    close(p[1]);
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5, "then a blocking wait reaps it");
    errno = 0;
    check(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "WNOHANG with no children: ECHILD");
    errno = 0;
    check(waitpid(pid, &st, 0) == -1 && errno == ECHILD, "waitpid of an already reaped pid: ECHILD");
    errno = 0;
    check(waitpid(getpid(), &st, 0) == -1 && errno == ECHILD, "waitpid of our own pid: ECHILD");
  }

  /* A specific pid among several; waitpid(-1) reaps the rest. */
  {
    int p[2];
    if (pipe(p)) return 1;
    pid_t kids[3];
    for (int i = 0; i < 3; i++) kids[i] = child_waiting(p, 10 + i);
    close(p[0]);
    close(p[1]); /* all three exit now */
    check(waitpid(kids[1], &st, 0) == kids[1] && WEXITSTATUS(st) == 11, "waitpid(pid) reaps that child among three");
    int seen = 0, ok = 1;
    for (int i = 0; i < 2; i++) {
      pid_t r = waitpid(-1, &st, 0);
      if (r == kids[0] && WEXITSTATUS(st) == 10) seen |= 1;
      else if (r == kids[2] && WEXITSTATUS(st) == 12) seen |= 4;
      else ok = 0;
    }
    check(ok && seen == 5, "waitpid(-1) reaps the other two, each once");
    errno = 0;
    check(waitpid(-1, &st, 0) == -1 && errno == ECHILD, "then ECHILD");
  }

  /* Zombie: the child exits long before the parent waits. */
  {
    pid_t pid = child_exiting(42);
    usleep(30000);
    check(kill(pid, 0) == 0, "a zombie still exists for kill(pid, 0)");
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42, "zombie's status still available");
    errno = 0;
    check(kill(pid, 0) == -1 && errno == ESRCH, "reaped child is gone: kill(pid, 0) ESRCH");
  }

  /* wait4 with rusage; wait3-like wait4(-1). */
  {
    pid_t pid = child_exiting(3);
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    check(wait4(pid, &st, 0, &ru) == pid && WEXITSTATUS(st) == 3, "wait4 with an rusage pointer");
    check(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec >= 0 &&
              ru.ru_stime.tv_usec < 1000000,
          "rusage filled with sane times");
    pid = child_exiting(4);
    check(wait4(-1, &st, 0, NULL) == pid && WEXITSTATUS(st) == 4, "wait4(-1) with a NULL rusage");
    pid = child_exiting(6);
    check(waitpid(pid, NULL, 0) == pid, "waitpid with a NULL status pointer");
  }

  /* waitid. */
  {
    pid_t pid = child_exiting(9);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, pid, &si, WEXITED);
    check(r == 0 && si.si_pid == pid && si.si_signo == SIGCHLD, "waitid(P_PID, WEXITED) fills si_pid and si_signo");
    check(r == 0 && si.si_code == CLD_EXITED && si.si_status == 9, "waitid: si_code CLD_EXITED, si_status 9");
    pid = fork();
    if (pid == 0) {
      raise(SIGTERM);
      _exit(0);
    }
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    check(r == 0 && si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
          "waitid(P_ALL): si_code CLD_KILLED, si_status SIGTERM");
    pid = child_exiting(8);
    usleep(20000);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    check(r == 0 && si.si_pid == pid && si.si_status == 8, "waitid WNOWAIT reports the child");
    check(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 8, "and leaves it to be reaped");
    int p[2];
    if (pipe(p)) return 1;
    pid = child_waiting(p, 0);
    close(p[0]);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
    check(r == 0 && si.si_pid == 0, "waitid WNOHANG with a running child: 0 and si_pid 0");
    close(p[1]);
    waitpid(pid, &st, 0);
    errno = 0;
    check(waitid(P_ALL, 0, &si, WEXITED) == -1 && errno == ECHILD, "waitid with no children: ECHILD");
  }

  /* SIGCHLD reaches a handler when a child exits. */
  {
    struct sigaction sa = {0}, old;
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, &old);
    sigset_t chld, orig;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &orig);
    chld_count = 0;
    pid_t pid = child_exiting(0);
    while (chld_count == 0) sigsuspend(&orig);
    sigprocmask(SIG_SETMASK, &orig, NULL);
    check(chld_count == 1, "SIGCHLD handler runs once when a child exits");
    check(chld_pid == pid && chld_code == CLD_EXITED, "SIGCHLD siginfo: si_pid of the child, si_code CLD_EXITED");
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child reaped after its SIGCHLD");
    sigaction(SIGCHLD, &old, NULL);
  }

  /* WUNTRACED / WCONTINUED. */
  {
    int p[2];
    if (pipe(p)) return 1;
    pid_t pid = child_waiting(p, 0);
    close(p[0]);
    kill(pid, SIGSTOP);
    int r = waitpid(pid, &st, WUNTRACED);
    check(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "SIGSTOP: waitpid WUNTRACED reports WIFSTOPPED");
    check(waitpid(pid, &st, WUNTRACED | WNOHANG) == 0, "a stop is reported once");
    kill(pid, SIGCONT);
    r = waitpid(pid, &st, WCONTINUED);
    check(r == pid && WIFCONTINUED(st), "SIGCONT: waitpid WCONTINUED reports WIFCONTINUED");
    kill(pid, SIGSTOP);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WSTOPPED);
    check(r == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP, "waitid WSTOPPED: CLD_STOPPED, SIGSTOP");
    kill(pid, SIGKILL);
    r = waitpid(pid, &st, 0);
    check(r == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "stopped child killed by SIGKILL");
    close(p[1]);
  }

  /* Process groups and sessions. */
  {
    check(getpgid(0) == getpgrp() && getpgid(0) > 0, "getpgid(0) == getpgrp()");
    /* Session 0 is what a process started outside any session sees (a CI container's, say). */
    check(getsid(0) >= 0 && getsid(0) == getsid(getpid()), "getsid(0) == getsid(getpid())");
    int p[2], q[2];
    if (pipe(p) || pipe(q)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[1]), close(q[0]);
      char c;
      while (read(p[0], &c, 1) < 0 && errno == EINTR) {} /* parent's setpgid done */
      _exit(getpgid(0) == getpid() ? 0 : 1);
    }
    close(p[0]), close(q[1]);
    check(setpgid(pid, pid) == 0, "setpgid(child, child) from the parent");
    check(getpgid(pid) == pid, "getpgid(child) is the child's pid");
    close(p[1]);
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child sees its own process group");
    pid = fork();
    if (pid == 0) { /* not a group leader: setsid succeeds */
      int bad = 0;
      pid_t s = setsid();
      if (s != getpid()) bad |= 2;
      if (getsid(0) != getpid() || getsid(getpid()) != getpid()) bad |= 4;
      if (getpgrp() != getpid()) bad |= 8;
      errno = 0;
      if (setsid() != -1 || errno != EPERM) bad |= 16; /* now a group leader */
      _exit(bad);
    }
    waitpid(pid, &st, 0);
    int bad = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
    check(!(bad & 2), "child's setsid() returns its pid");
    check(!(bad & 4), "getsid in the child equals its pid");
    check(!(bad & 8), "setsid makes the child a process group leader");
    check(!(bad & 16), "second setsid fails with EPERM");
    close(q[0]);
    pid = fork();
    if (pid == 0) {
      _exit(setpgid(0, 0) == 0 && getpgrp() == getpid() ? 0 : 1);
    }
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "setpgid(0, 0) in a child");
    errno = 0;
    check(getpgid(pid) == -1 && errno == ESRCH, "getpgid of a reaped child: ESRCH");
  }

  errno = 0;
  check(waitpid(-1, &st, 0) == -1 && errno == ECHILD, "no children left: ECHILD");
  printf("%s\n", failed ? "FAILED" : "all passed");
  return failed != 0;
}

/* Kernel conformance: execve. The test re-executes itself (argv[0], or /proc/self/exe when argv[0] has no '/')
 * with a mode argument; the new image checks what survives exec (pid, ppid, descriptors without O_CLOEXEC,
 * argv and envp exactly, SIG_IGN, the blocked mask, pending signals) and what does not (O_CLOEXEC descriptors,
 * caught handlers). Errors come from forked children. `#!` scripts name this program as interpreter.
 * One line per check, nothing path- or pid-dependent; exits 0 only when every check passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;
static void check(int ok, const char *what) {
  if (!ok) failed++;
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  fflush(stdout);
}

static const char *en(int e) {
  switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case ENOEXEC: return "ENOEXEC";
    case EACCES: return "EACCES";
    case E2BIG: return "E2BIG";
    case EFAULT: return "EFAULT";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    default: return "other";
  }
}

static int reap(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : -2;
}

enum { KEPT_FD = 10, CLOEXEC_FD = 11 };
static char *const child_env[] = {"LEV_A=1", "LEV_EMPTY=", "LEV_SPACES=a b  c", "LEV_LAST=z", NULL};
static const char *const child_args[] = {"", "two words", "tab\there", "\xc3\xa9t\xc3\xa9", "-", "last"};
#define NARGS (sizeof child_args / sizeof *child_args)

static void on_usr1(int sig) { (void)sig; }

/* The new image ("image PID PPID args..."): checks and prints what survived the exec. */
static int image_mode(int argc, char **argv) {
  check(argc == 4 + (int)NARGS, "argc passed exactly");
  check(atoi(argv[2]) == getpid(), "pid unchanged by execve");
  check(atoi(argv[3]) == getppid(), "ppid unchanged by execve");
  int same = argc == 4 + (int)NARGS;
  for (unsigned i = 0; same && i < NARGS; i++) same = strcmp(argv[4 + i], child_args[i]) == 0;
  check(same && argv[argc] == NULL, "argv strings passed exactly, NULL-terminated");
  int n = 0;
  while (environ[n]) n++;
  same = n == 4;
  for (int i = 0; same && i < n; i++) same = strcmp(environ[i], child_env[i]) == 0;
  check(same, "envp passed exactly (count, order, contents)");
  check(getenv("LEV_SPACES") && strcmp(getenv("LEV_SPACES"), "a b  c") == 0, "getenv sees the new environment");
  int fl = fcntl(KEPT_FD, F_GETFD);
  check(fl >= 0 && !(fl & FD_CLOEXEC), "descriptor without FD_CLOEXEC kept");
  check(write(KEPT_FD, "k", 1) == 1, "kept descriptor still writes to its pipe");
  errno = 0;
  check(fcntl(CLOEXEC_FD, F_GETFD) == -1 && errno == EBADF, "O_CLOEXEC descriptor closed (EBADF)");
  struct sigaction sa;
  sigaction(SIGUSR1, NULL, &sa);
  check(sa.sa_handler == SIG_DFL, "caught signal's handler reset to SIG_DFL");
  sigaction(SIGHUP, NULL, &sa);
  check(sa.sa_handler == SIG_IGN, "SIG_IGN stays ignored");
  sigset_t m;
  sigprocmask(SIG_BLOCK, NULL, &m);
  check(sigismember(&m, SIGUSR2) && sigismember(&m, SIGTERM) && !sigismember(&m, SIGUSR1), "blocked mask kept");
  sigpending(&m);
  check(sigismember(&m, SIGUSR2) && !sigismember(&m, SIGTERM), "pending signal kept");
  return failed != 0;
}

/* The interpreter of a #! script: argv = [interpreter, "scriptmode", script, args...]. */
static int script_mode(int argc, char **argv) {
  const char *self = getenv("LEV_SELF"), *script = getenv("LEV_SCRIPT");
  if (!self || !script || argc != 5) return 1;
  if (strcmp(argv[0], self) || strcmp(argv[1], "scriptmode") || strcmp(argv[2], script)) return 2;
  if (strcmp(argv[3], "arg one") || strcmp(argv[4], "arg2")) return 3;
  return 0;
}

/* execve in a forked child; the child exits with errno (0 if execve returned success, which it cannot). */
static int exec_errno(const char *path, char *const argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    char *const envp[] = {NULL};
    execve(path, argv, envp);
    _exit(errno & 0xff);
  }
  int st = reap(pid);
  return st;
}

static void check_errno(const char *what, const char *path, char *const argv[], int want) {
  int got = exec_errno(path, argv);
  char line[200];
  snprintf(line, sizeof line, "execve %s: %s", what, got == want ? en(want) : got > 255 ? "killed" : en(got));
  check(got == want, line);
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "image") == 0) return image_mode(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "scriptmode") == 0) return script_mode(argc, argv);
  if (argc != 1) return 99;

  /* Our own path, absolute (a #! line is resolved against the cwd of whoever runs the script). */
  static char self[4096];
  const char *a0 = argv[0] && strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
  if (a0[0] == '/') snprintf(self, sizeof self, "%s", a0);
  else {
    char cwd[2048];
    if (!getcwd(cwd, sizeof cwd)) return 1;
    snprintf(self, sizeof self, "%s/%s", cwd, a0);
  }

  /* The new image's view. */
  {
    int kept[2], lost[2];
    if (pipe(kept) || pipe2(lost, O_CLOEXEC)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      if (dup2(kept[1], KEPT_FD) != KEPT_FD || dup3(lost[1], CLOEXEC_FD, O_CLOEXEC) != CLOEXEC_FD) _exit(98);
      struct sigaction sa = {0};
      sa.sa_handler = on_usr1;
      sigaction(SIGUSR1, &sa, NULL);
      sa.sa_handler = SIG_IGN;
      sigaction(SIGHUP, &sa, NULL);
      sigset_t m;
      sigemptyset(&m);
      sigaddset(&m, SIGUSR2);
      sigaddset(&m, SIGTERM);
      sigprocmask(SIG_BLOCK, &m, NULL);
      raise(SIGUSR2);
      char pidbuf[16], ppidbuf[16];
      snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
      snprintf(ppidbuf, sizeof ppidbuf, "%d", (int)getppid());
      char *args[4 + NARGS + 1] = {self, "image", pidbuf, ppidbuf};
      for (unsigned i = 0; i < NARGS; i++) args[4 + i] = (char *)child_args[i];
      args[4 + NARGS] = NULL;
      execve(self, args, child_env);
      _exit(97);
    }
    close(kept[1]), close(lost[1]);
    int st = reap(pid);
    check(st == 0, "re-executed image exits 0 (all its checks passed)");
    char c = 0;
    check(read(kept[0], &c, 1) == 1 && c == 'k', "parent reads what the new image wrote to the kept pipe");
    close(kept[0]), close(lost[0]);
  }

  /* Errors. */
  char dir[] = "/tmp/levexecXXXXXX";
  if (!mkdtemp(dir)) return 1;
  char missing[64], garbage[64], noexec[64], loop1[64], loop2[64], script[64];
  snprintf(missing, sizeof missing, "%s/missing", dir);
  snprintf(garbage, sizeof garbage, "%s/garbage", dir);
  snprintf(noexec, sizeof noexec, "%s/noexec", dir);
  snprintf(loop1, sizeof loop1, "%s/loop1", dir);
  snprintf(loop2, sizeof loop2, "%s/loop2", dir);
  snprintf(script, sizeof script, "%s/script", dir);
  {
    unsigned char bytes[512];
    unsigned x = 12345;
    for (unsigned i = 0; i < sizeof bytes; i++) x = x * 1103515245 + 12345, bytes[i] = (unsigned char)(x >> 16);
    bytes[0] = 0x01, bytes[1] = 0x02; /* neither "\x7f" "ELF" nor "#!" */
    int fd = open(garbage, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, bytes, sizeof bytes) != sizeof bytes) return 1;
    close(fd);
    fd = open(noexec, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "#!/bin/sh\n", 10) != 10) return 1;
    close(fd);
    chmod(garbage, 0755), chmod(noexec, 0644);
    if (symlink(loop2, loop1) || symlink(loop1, loop2)) return 1;
  }
  char *plain[] = {"x", NULL};
  check_errno("of a missing file", missing, plain, ENOENT);
  check_errno("of a file of random bytes", garbage, plain, ENOEXEC);
  check_errno("of a file without execute permission", noexec, plain, EACCES);
  check_errno("of a directory", dir, plain, EACCES);
  check_errno("through a symlink loop", loop1, plain, ELOOP);
  {
    char *big = malloc(200001);
    memset(big, 'a', 200000);
    big[200000] = 0;
    char *args[] = {self, big, NULL};
    check_errno("with a 200000-byte argument", self, args, E2BIG);
    free(big);
  }
  check_errno("of path pointer 1", (const char *)1, plain, EFAULT);
  {
    char *longpath = malloc(5001);
    longpath[0] = '/';
    memset(longpath + 1, 'a', 4999);
    longpath[5000] = 0;
    check_errno("of a 5000-byte path", longpath, plain, ENAMETOOLONG);
    free(longpath);
  }
  check_errno("of a path through a regular file", "/dev/null/x", plain, ENOTDIR);

  /* #! script whose interpreter is this program. */
  {
    char line[4200];
    int n = snprintf(line, sizeof line, "#!%s scriptmode\n", self);
    int fd = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, line, n) != n) return 1;
    close(fd);
    chmod(script, 0755);
    pid_t pid = fork();
    if (pid == 0) {
      char se[4300], sc[200];
      snprintf(se, sizeof se, "LEV_SELF=%s", self);
      snprintf(sc, sizeof sc, "LEV_SCRIPT=%s", script);
      char *envp[] = {se, sc, NULL};
      char *args[] = {"ignored-argv0", "arg one", "arg2", NULL};
      execve(script, args, envp);
      _exit(90);
    }
    int st = reap(pid);
    check(st == 0, "#! script runs its interpreter with argv [interpreter, option, script, args...]");
    if (st != 0) printf("# script child status %d\n", st);
    /* A #! line naming a missing interpreter fails with ENOENT. */
    fd = open(script, O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, "#!/nonexistent/interp\n", 22) != 22) return 1;
    close(fd);
    check_errno("of a script with a missing interpreter", script, plain, ENOENT);
  }

  unlink(garbage), unlink(noexec), unlink(loop1), unlink(loop2), unlink(script);
  check(rmdir(dir) == 0, "temporary files removed");
  printf("%s\n", failed ? "FAILED" : "all passed");
  return failed != 0;
}

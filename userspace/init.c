/* init: a PID-1 style init for Levitate. `init [shell [args...]]` (default /bin/sh) forks, the child executes
 * the shell with stdin/stdout/stderr inherited, and the parent reaps every child it gets (orphans are
 * reparented to it) until the shell itself exits; init then exits with the shell's status (128+signal when
 * the shell was killed). If the shell cannot be executed: "init: cannot run PATH: ERRNO" and status 127.
 * At a terminal init shares the shell's process group, so it ignores the keyboard's signals (SIGINT, SIGQUIT,
 * SIGTSTP); the shell gets the default dispositions back. Booted as PID 1, it first names the system after
 * /etc/hostname and, at a terminal, shows /etc/motd. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ENOTDIR: return "ENOTDIR";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ELOOP: return "ELOOP";
    case E2BIG: return "E2BIG";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EPERM: return "EPERM";
    case EISDIR: return "EISDIR";
    case ETXTBSY: return "ETXTBSY";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ENOSYS: return "ENOSYS";
    default: return "unknown error";
  }
}

/* What a booting system does before its shell: the name, then the message of the day. */
static void boot_setup(void) {
  char name[65];
  FILE *f = fopen("/etc/hostname", "r");
  if (f) {
    if (fgets(name, sizeof name, f)) {
      name[strcspn(name, "\n")] = 0;
      if (name[0] && sethostname(name, strlen(name)) < 0) fprintf(stderr, "init: sethostname: %s\n", errno_name(errno));
    }
    fclose(f);
  }
  if (!isatty(1) || !(f = fopen("/etc/motd", "r"))) return;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  fclose(f);
  fflush(stdout);
}

int main(int argc, char **argv) {
  char *default_shell[] = {"/bin/sh", NULL};
  char **cmd = argc > 1 ? argv + 1 : default_shell;

  if (getpid() == 1) boot_setup();
  static const int keyboard[] = {SIGINT, SIGQUIT, SIGTSTP};
  for (int i = 0; i < 3; i++) signal(keyboard[i], SIG_IGN);
  pid_t shell = fork();
  if (shell < 0) {
    fprintf(stderr, "init: fork: %s\n", errno_name(errno));
    return 1;
  }
  if (shell == 0) {
    for (int i = 0; i < 3; i++) signal(keyboard[i], SIG_DFL);
    if (strchr(cmd[0], '/')) execv(cmd[0], cmd);
    else execvp(cmd[0], cmd);
    fprintf(stderr, "init: cannot run %s: %s\n", cmd[0], errno_name(errno));
    _exit(127);
  }

  for (;;) {
    int status;
    pid_t pid = wait4(-1, &status, 0, NULL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return 1; /* ECHILD: cannot happen while the shell lives */
    }
    if (pid != shell) continue; /* an orphan or a background job: reaped, nothing more to do */
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  }
}

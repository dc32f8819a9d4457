/* init: a PID-1 style init for Levitate. `init [shell [args...]]` (default /bin/sh) forks, the child executes
 * the shell with stdin/stdout/stderr inherited, and the parent reaps every child it gets (orphans are
 * reparented to it) until the shell itself exits; init then exits with the shell's status (128+signal when
 * the shell was killed). If the shell cannot be executed: "init: cannot run PATH: ERRNO" and status 127. */
#define _GNU_SOURCE
#include <errno.h>
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

int main(int argc, char **argv) {
  char *default_shell[] = {"/bin/sh", NULL};
  char **cmd = argc > 1 ? argv + 1 : default_shell;

  pid_t shell = fork();
  if (shell < 0) {
    fprintf(stderr, "init: fork: %s\n", errno_name(errno));
    return 1;
  }
  if (shell == 0) {
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

/* Kernel conformance: fcntl record locks (F_GETLK, F_SETLK, F_SETLKW) between a parent and its child, as SQLite
 * uses them. Portable C; the native x86-64 run is the expected output. Lines name a check and its result. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int lk(int fd, int cmd, short type, off_t start, off_t len, struct flock *out) {
  struct flock l = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
  int r = fcntl(fd, cmd, &l);
  if (out) *out = l;
  return r;
}

static const char *res(int r) {
  if (r == 0) return "ok";
  return errno == EAGAIN ? "EAGAIN" : errno == EACCES ? "EACCES" : errno == EBADF ? "EBADF" : errno == EINVAL ? "EINVAL" : strerror(errno);
}

static void getlk(const char *name, int fd, short type, off_t start, off_t len) {
  struct flock l;
  int r = lk(fd, F_GETLK, type, start, len, &l);
  if (r != 0) printf("%-36s %s\n", name, res(r));
  else if (l.l_type == F_UNLCK) printf("%-36s unlocked\n", name);
  else printf("%-36s %s start %ld len %ld by %s\n", name, l.l_type == F_WRLCK ? "write" : "read", (long)l.l_start,
              (long)l.l_len, l.l_pid == getppid() ? "parent" : l.l_pid == getpid() ? "self" : "other");
}

int main(void) {
  char path[] = "/tmp/levitate-locks-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  char buf[1000] = {0};
  if (write(fd, buf, sizeof buf) != sizeof buf) return 1;

  printf("%-36s %s\n", "parent write lock [0,100)", res(lk(fd, F_SETLK, F_WRLCK, 0, 100, NULL)));
  printf("%-36s %s\n", "parent unlock [40,60)", res(lk(fd, F_SETLK, F_UNLCK, 40, 20, NULL)));
  printf("%-36s %s\n", "parent read lock [200,eof)", res(lk(fd, F_SETLK, F_RDLCK, 200, 0, NULL)));
  getlk("parent getlk own range", fd, F_WRLCK, 0, 0);
  printf("%-36s %s\n", "bad type", res(lk(fd, F_SETLK, 7, 0, 1, NULL)));
  int ro = open(path, O_RDONLY);
  printf("%-36s %s\n", "write lock on O_RDONLY", res(lk(ro, F_SETLK, F_WRLCK, 900, 1, NULL)));
  fflush(stdout);

  int p[2];
  if (pipe(p) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    printf("%-36s %s\n", "child write lock in the gap", res(lk(fd, F_SETLK, F_WRLCK, 50, 5, NULL)));
    printf("%-36s %s\n", "child unlocks it", res(lk(fd, F_SETLK, F_UNLCK, 50, 5, NULL)));
    printf("%-36s %s\n", "child write lock [30,31)", res(lk(fd, F_SETLK, F_WRLCK, 30, 1, NULL)));
    getlk("child getlk write [45,200)", fd, F_WRLCK, 45, 155);
    getlk("child getlk read [300,301)", fd, F_RDLCK, 300, 1);
    getlk("child getlk write [300,301)", fd, F_WRLCK, 300, 1);
    printf("%-36s %s\n", "child read lock [500,510)", res(lk(fd, F_SETLK, F_RDLCK, 500, 10, NULL)));
    printf("%-36s %s\n", "child write lock [500,510) (upgrade)", res(lk(fd, F_SETLK, F_WRLCK, 500, 10, NULL)));
    if (write(p[1], "x", 1) != 1) return 1;
    /* Waits until the parent closes a descriptor of the file, which drops all its locks on it. */
    printf("%-36s %s\n", "child setlkw [0,10)", res(lk(fd, F_SETLKW, F_WRLCK, 0, 10, NULL)));
    getlk("child getlk own lock", fd, F_WRLCK, 0, 10);
    return 0;
  }
  char c;
  if (read(p[0], &c, 1) != 1) return 1;
  usleep(100000);
  close(ro);
  int st;
  waitpid(child, &st, 0);
  printf("%-36s %d\n", "child exit status", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  getlk("parent getlk after child exit", fd, F_WRLCK, 0, 0);
  printf("%-36s %s\n", "parent write lock all", res(lk(fd, F_SETLK, F_WRLCK, 0, 0, NULL)));
  unlink(path);
  return 0;
}

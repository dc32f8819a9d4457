/* Kernel conformance: syscall numbers Linux does not define answer ENOSYS (1000 and 1001 were once custom
 * Spawn/SpawnArgs calls; they must not exist), and a few basic calls behave as on Linux. Prints one line per
 * check so the native x86-64 run gives the expected output. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static void check_enosys(long nr) {
  errno = 0;
  long r = syscall(nr);
  printf("syscall(%ld) = %ld errno=%s\n", nr, r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
}

int main(void) {
  check_enosys(1000);
  check_enosys(1001);
  check_enosys(5000);
  struct utsname u;
  printf("uname: %d %s\n", uname(&u), u.sysname);
  printf("getcwd ok: %d\n", getcwd((char[4096]){0}, 4096) != NULL);
  errno = 0;
  int rc = close(-1);
  printf("close(-1) = %d errno=%s\n", rc, errno == EBADF ? "EBADF" : strerror(errno));
  return 0;
}

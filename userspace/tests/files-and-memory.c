/* Kernel conformance: files, descriptors and memory as a program sees them. Portable C; the native x86-64 run
 * is the expected output. Every line names a check and its observed result (errno names, not numbers). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *en(int e) {
  switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ESPIPE: return "ESPIPE";
    case EFAULT: return "EFAULT";
    default: return strerror(e);
  }
}
#define CHECK(name, expr) do { errno = 0; long r_ = (long)(expr); int e_ = errno; \
  printf("%-28s %ld %s\n", name, r_ < 0 ? -1L : r_, r_ < 0 ? en(e_) : "ok"); } while (0)

static void *volatile bad_pointer = (void *)8; /* volatile: the compiler must not see through it */

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
  char dir[] = "/tmp/levitate-conf-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  if (chdir(dir) != 0) return 1;

  /* files */
  int fd = open("a.txt", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  printf("open O_CREAT|O_EXCL          %s\n", fd >= 0 ? "ok" : en(errno));
  CHECK("open O_EXCL again", open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0644));
  CHECK("write", write(fd, "hello, world\n", 13));
  CHECK("lseek SEEK_CUR", lseek(fd, 0, SEEK_CUR));
  CHECK("lseek SEEK_SET 7", lseek(fd, 7, SEEK_SET));
  char buf[64] = {0};
  CHECK("read after seek", read(fd, buf, sizeof buf));
  printf("  read text: %s", buf);
  CHECK("pwrite at 0", pwrite(fd, "J", 1, 0));
  memset(buf, 0, sizeof buf);
  CHECK("pread at 0", pread(fd, buf, 5, 0));
  printf("  pread text: %s\n", buf);
  CHECK("offset unchanged by p*", lseek(fd, 0, SEEK_CUR));
  struct iovec iov[2] = {{"ab", 2}, {"cd\n", 3}};
  CHECK("writev", writev(fd, iov, 2));
  struct stat st;
  CHECK("fstat", fstat(fd, &st));
  printf("  size %ld regular %d\n", (long)st.st_size, S_ISREG(st.st_mode));
  CHECK("F_GETFD (O_CLOEXEC)", fcntl(fd, F_GETFD));
  int d = dup(fd);
  CHECK("F_GETFD of dup", fcntl(d, F_GETFD));
  CHECK("dup shares the offset", lseek(d, 0, SEEK_CUR) == lseek(fd, 0, SEEK_CUR));
  CHECK("dup3 to 40", dup3(fd, 40, O_CLOEXEC));
  CHECK("F_GETFD of dup3", fcntl(40, F_GETFD));
  CHECK("dup3 same fd", dup3(40, 40, 0));
  CHECK("F_GETFL accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
  CHECK("close", close(40));
  CHECK("close again", close(40));
  CHECK("lseek on a pipe-less bad fd", lseek(1234, 0, SEEK_SET));
  CHECK("open missing", open("missing", O_RDONLY));
  CHECK("open dir for writing", open(".", O_WRONLY));
  CHECK("open file/child", open("a.txt/x", O_RDONLY));
  CHECK("mkdir sub", mkdir("sub", 0755));
  CHECK("stat sub", stat("sub", &st));
  printf("  sub is dir %d\n", S_ISDIR(st.st_mode));
  CHECK("symlink", symlink("a.txt", "link"));
  char target[64] = {0};
  CHECK("readlink", readlink("link", target, sizeof target));
  printf("  target %s\n", target);
  CHECK("lstat link is link", lstat("link", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK("access a.txt R_OK", access("a.txt", R_OK));

  /* directories: names sorted, since the order is the filesystem's */
  DIR *dp = opendir(".");
  char *names[16];
  int n = 0;
  struct dirent *de;
  while (dp && (de = readdir(dp)) && n < 16) names[n++] = strdup(de->d_name);
  if (dp) closedir(dp);
  qsort(names, n, sizeof *names, cmp);
  printf("readdir:");
  for (int i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
  char cwd[4096];
  CHECK("getcwd matches", strcmp(getcwd(cwd, sizeof cwd), dir) == 0);
  CHECK("chdir sub", chdir("sub"));
  CHECK("chdir ..", chdir(".."));

  /* memory */
  long pg = sysconf(_SC_PAGESIZE);
  printf("page size %ld\n", pg);
  char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap anonymous aligned %d zero %d\n", m != MAP_FAILED && ((unsigned long)m % pg) == 0, m[0] == 0 && m[3 * pg - 1] == 0);
  memset(m, 7, 3 * pg);
  CHECK("mprotect read-only", mprotect(m + pg, pg, PROT_READ));
  CHECK("munmap middle", munmap(m + pg, pg));
  CHECK("mmap MAP_FIXED back", mmap(m + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m + pg);
  printf("  remapped page zero %d, neighbours kept %d %d\n", m[pg] == 0, m[0] == 7, m[2 * pg] == 7);
  char *g = mremap(m, 3 * pg, 64 * pg, MREMAP_MAYMOVE);
  printf("mremap grow keeps data %d\n", g != MAP_FAILED && g[0] == 7 && g[2 * pg] == 7);
  CHECK("munmap unaligned", munmap(g + 1, pg));
  CHECK("mmap length 0", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  int f2 = open("a.txt", O_RDONLY);
  char *fm = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, f2, 0);
  printf("mmap file: %.5s\n", fm == MAP_FAILED ? "fail" : fm);
  /* The raw brk syscall (musl's sbrk refuses to grow): returns the new break, or the old one on failure. */
  char *b0 = (char *)syscall(SYS_brk, 0);
  CHECK("brk grow", syscall(SYS_brk, b0 + 5 * pg) == (long)(b0 + 5 * pg));
  memset(b0, 1, 5 * pg);
  printf("brk memory usable %d\n", b0[5 * pg - 1] == 1);
  CHECK("brk below the start fails", syscall(SYS_brk, 4096) == (long)(b0 + 5 * pg));
  CHECK("write from a bad pointer", write(1, bad_pointer, 4));
  CHECK("read into a bad pointer", read(f2, bad_pointer, 4));

  unlink("link");
  unlink("a.txt");
  rmdir("sub");
  chdir("/");
  rmdir(dir);
  return 0;
}

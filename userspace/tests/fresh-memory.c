/* Kernel conformance: a new image's memory is zero, whatever ran before it. The test re-executes itself: a
 * "dirty" run fills a deep stack, the heap (brk), an anonymous mapping and its bss with a pattern and exits; a
 * "check" run right after it (an address space made from the same reused host memory, as the kernel pools
 * them) looks at the same places and reports what it finds. Portable C; the native x86-64 run is the expected
 * output. Exits 0 only when every check passed. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAME 4096
#define DEPTH 64  /* frames: 256 KiB of stack */
#define SKIP 16   /* frames nearest main's, which the C library's start-up may have used */
#define AREA (128 * 1024)
#define PATTERN 0xa5

static unsigned char bss[AREA];
static unsigned char data[16] = "initialised";

/* The frame holding `buf` stays live until here: the recursion cannot become a loop over one frame. */
#define KEEP(buf) __asm__ volatile("" : : "r"(buf) : "memory")

/* Fills a frame with the pattern at each level. */
__attribute__((noinline)) static int dirty_stack(int depth) {
  volatile unsigned char buf[FRAME];
  memset((unsigned char *)buf, PATTERN, sizeof buf);
  int r = depth ? dirty_stack(depth - 1) : 0;
  KEEP(buf);
  return r + buf[depth % FRAME];
}

/* Counts non-zero bytes in the frames deeper than SKIP: stack this process never wrote. */
__attribute__((noinline)) static long fresh_stack(int depth, int level) {
  volatile unsigned char buf[FRAME];
  long n = 0;
  if (level >= SKIP)
    for (int i = 0; i < FRAME; i++) n += buf[i] != 0;
  long r = depth ? fresh_stack(depth - 1, level + 1) : 0;
  KEEP(buf);
  return r + n;
}

static long nonzero(const unsigned char *p, size_t len) {
  long n = 0;
  for (size_t i = 0; i < len; i++) n += p[i] != 0;
  return n;
}

static unsigned char *grow_brk(void) {
  uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
  uintptr_t want = cur + AREA;
  if ((uintptr_t)syscall(SYS_brk, want) != want) return NULL;
  return (unsigned char *)cur;
}

static int dirty(void) {
  dirty_stack(DEPTH);
  unsigned char *heap = grow_brk();
  if (heap) memset(heap, PATTERN, AREA);
  unsigned char *anon = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (anon != MAP_FAILED) memset(anon, PATTERN, AREA);
  memset(bss, PATTERN, sizeof bss);
  memset(data, PATTERN, sizeof data);
  return heap && anon != MAP_FAILED ? 0 : 1;
}

static int check(void) {
  int failed = 0;
  long n = fresh_stack(DEPTH, 0);
  printf("stack below start-up: %s\n", n ? "NOT ZERO" : "zero");
  failed += n != 0;
  unsigned char *heap = grow_brk();
  n = heap ? nonzero(heap, AREA) : -1;
  printf("brk area: %s\n", n ? "NOT ZERO" : "zero");
  failed += n != 0;
  unsigned char *anon = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  n = anon != MAP_FAILED ? nonzero(anon, AREA) : -1;
  printf("anonymous mapping: %s\n", n ? "NOT ZERO" : "zero");
  failed += n != 0;
  n = nonzero(bss, sizeof bss);
  printf("bss: %s\n", n ? "NOT ZERO" : "zero");
  failed += n != 0;
  printf("data: %s\n", data);
  failed += strcmp((char *)data, "initialised") != 0;
  return failed ? 1 : 0;
}

/* fork + exec of this program with `mode`; its exit status. */
static int run(const char *self, const char *mode) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execl(self, self, mode, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "dirty") == 0) return dirty();
  if (argc > 1 && strcmp(argv[1], "check") == 0) return check();
  const char *self = strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
  int failed = 0;
  for (int round = 1; round <= 3; round++) {
    printf("round %d\n", round);
    if (run(self, "dirty") != 0) {
      printf("dirty run failed\n");
      failed++;
    }
    failed += run(self, "check") != 0;
  }
  /* The parent's own memory after its children's: a fork copies it faithfully. */
  memset(bss, PATTERN, 64);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(nonzero(bss, sizeof bss) == 64 && bss[63] == PATTERN ? 0 : 1);
  int status = 0;
  waitpid(pid, &status, 0);
  printf("fork copies the parent's bss: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
  failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return failed ? 1 : 0;
}

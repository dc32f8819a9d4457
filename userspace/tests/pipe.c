/* Kernel conformance: pipes between processes and the descriptor calls around them. Data both ways, EOF when
 * the last writer (in any process) closes, EPIPE/SIGPIPE, O_NONBLOCK, 64 KiB capacity, PIPE_BUF atomicity,
 * dup/dup2/dup3/fcntl, poll/ppoll/select/pselect, a blocking read completed by a later write.
 * One line per check; exits 0 only when every check passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
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

static ssize_t read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return got ? (ssize_t)got : r;
    got += r;
  }
  return got;
}

int main(void) {
  /* Parent to child and child to parent. */
  {
    int down[2], up[2];
    check(pipe2(down, 0) == 0 && pipe(up) == 0, "pipe2 and pipe succeed");
    pid_t pid = fork();
    if (pid == 0) {
      close(down[1]), close(up[0]);
      char buf[32] = {0};
      ssize_t n = read_full(down[0], buf, 6);
      int bad = n != 6 || memcmp(buf, "hello\n", 6) != 0;
      if (write(up[1], "world!\n", 7) != 7) bad = 1;
      _exit(bad);
    }
    close(down[0]), close(up[1]);
    check(write(down[1], "hello\n", 6) == 6, "parent writes into the pipe");
    char buf[32] = {0};
    check(read_full(up[0], buf, 7) == 7 && memcmp(buf, "world!\n", 7) == 0, "parent reads what the child wrote");
    check(reap(pid) == 0, "child read what the parent wrote");
    check(read(up[0], buf, sizeof buf) == 0, "EOF after the child (last writer) exits");
    close(down[1]), close(up[0]);
  }

  /* EOF only when the last writer closes, including a writer held by another process. */
  {
    int p[2], hold[2];
    if (pipe(p) || pipe(hold)) return 1;
    pid_t pid = fork();
    if (pid == 0) { /* keeps p[1] open until told */
      close(p[0]), close(hold[1]);
      char c;
      while (read(hold[0], &c, 1) < 0 && errno == EINTR) {}
      _exit(0);
    }
    close(p[1]), close(hold[0]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char c;
    errno = 0;
    check(read(p[0], &c, 1) == -1 && errno == EAGAIN, "no EOF while another process holds a write end");
    fcntl(p[0], F_SETFL, 0);
    close(hold[1]); /* the child exits and closes its write end */
    check(read(p[0], &c, 1) == 0, "EOF once that process exits");
    reap(pid);
    close(p[0]);
  }

  /* No reader: EPIPE with SIGPIPE ignored; death by SIGPIPE by default. */
  {
    int p[2];
    if (pipe(p)) return 1;
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    check(write(p[1], "x", 1) == -1 && errno == EPIPE, "write with no reader, SIGPIPE ignored: EPIPE");
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
    int go[2]; /* the child writes once it sees EOF here: after the parent closed its read end */
    if (pipe(p) || pipe(go)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]), close(go[1]);
      char c;
      while (read(go[0], &c, 1) > 0) {}
      (void)!write(p[1], "x", 1);
      _exit(0);
    }
    close(p[0]), close(p[1]), close(go[0]), close(go[1]);
    check(reap(pid) == 1000 + SIGPIPE, "write with no reader, SIGPIPE default: child killed by SIGPIPE");
    if (pipe(p)) return 1;
    pid = fork();
    if (pid == 0) { /* the reader is held by the child: it closes it before writing */
      close(p[0]);
      sigset_t m;
      sigemptyset(&m);
      sigaddset(&m, SIGPIPE);
      sigprocmask(SIG_BLOCK, &m, NULL);
      errno = 0;
      int ok = write(p[1], "x", 1) == -1 && errno == EPIPE;
      sigpending(&m);
      _exit(ok && sigismember(&m, SIGPIPE) ? 0 : 1);
    }
    close(p[0]), close(p[1]);
    check(reap(pid) == 0, "write with no reader, SIGPIPE blocked: EPIPE and SIGPIPE pending");
  }

  /* O_NONBLOCK, capacity. */
  {
    int p[2];
    check(pipe2(p, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK)");
    char c;
    errno = 0;
    check(read(p[0], &c, 1) == -1 && errno == EAGAIN, "read on an empty non-blocking pipe: EAGAIN");
    static char chunk[1024];
    memset(chunk, 'c', sizeof chunk);
    long total = 0;
    ssize_t w;
    while ((w = write(p[1], chunk, sizeof chunk)) > 0) total += w;
    check(w == -1 && errno == EAGAIN, "write into a full non-blocking pipe: EAGAIN");
    check(total == 65536, "pipe capacity is 65536 bytes");
    errno = 0;
    check(write(p[1], "x", 1) == -1 && errno == EAGAIN, "even one more byte: EAGAIN");
    static char big[65536];
    check(read(p[0], big, sizeof big) == 65536, "one read drains all 65536 bytes");
    check(write(p[1], chunk, 10) == 10, "writable again after draining");
    close(p[0]), close(p[1]);
  }

  /* PIPE_BUF atomicity: several writers of 512-byte records; every record arrives whole. */
  {
    enum { WRITERS = 4, RECORDS = 64, REC = 512 };
    check(PIPE_BUF >= REC, "PIPE_BUF is at least 512");
    int p[2];
    if (pipe(p)) return 1;
    pid_t kids[WRITERS];
    for (int k = 0; k < WRITERS; k++) {
      kids[k] = fork();
      if (kids[k] == 0) {
        close(p[0]);
        char rec[REC];
        memset(rec, 'A' + k, REC);
        for (int i = 0; i < RECORDS; i++)
          if (write(p[1], rec, REC) != REC) _exit(1);
        _exit(0);
      }
    }
    close(p[1]);
    static char all[WRITERS * RECORDS * REC + 1];
    ssize_t n = read_full(p[0], all, sizeof all);
    int whole = n == WRITERS * RECORDS * REC, counts[WRITERS] = {0};
    for (long r = 0; whole && r < n / REC; r++) {
      char c = all[r * REC];
      for (int i = 1; i < REC; i++)
        if (all[r * REC + i] != c) whole = 0;
      if (c >= 'A' && c < 'A' + WRITERS) counts[c - 'A']++;
      else whole = 0;
    }
    for (int k = 0; k < WRITERS; k++)
      if (counts[k] != RECORDS) whole = 0;
    int ok = 1;
    for (int k = 0; k < WRITERS; k++) ok &= reap(kids[k]) == 0;
    check(ok, "four writers of 64 records each exit 0");
    check(whole, "every 512-byte record arrives whole (PIPE_BUF atomicity)");
    close(p[0]);
  }

  /* dup, dup2, dup3, fcntl. */
  {
    int p[2];
    if (pipe(p)) return 1;
    int d = dup(p[1]);
    check(d > p[1], "dup returns a new descriptor");
    check(write(d, "ab", 2) == 2, "dup'd descriptor writes into the same pipe");
    check(dup2(d, d) == d, "dup2(fd, fd) returns fd");
    errno = 0;
    check(dup3(d, d, 0) == -1 && errno == EINVAL, "dup3(fd, fd) fails with EINVAL");
    check(dup2(p[1], 40) == 40 && fcntl(40, F_GETFD) == 0, "dup2 to 40: open, FD_CLOEXEC clear");
    check(dup3(p[1], 41, O_CLOEXEC) == 41 && fcntl(41, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC sets FD_CLOEXEC");
    check(dup2(p[0], 40) == 40 && (fcntl(40, F_GETFL) & O_ACCMODE) == O_RDONLY, "dup2 onto an open fd replaces it");
    int f = fcntl(p[1], F_DUPFD, 50);
    check(f == 50 && fcntl(f, F_GETFD) == 0, "F_DUPFD 50 gives 50, FD_CLOEXEC clear");
    f = fcntl(p[1], F_DUPFD, 50);
    check(f == 51, "F_DUPFD 50 again gives the next free one, 51");
    f = fcntl(p[1], F_DUPFD_CLOEXEC, 50);
    check(f == 52 && fcntl(f, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC sets FD_CLOEXEC");
    check(fcntl(52, F_SETFD, 0) == 0 && fcntl(52, F_GETFD) == 0, "F_SETFD 0 clears it");
    check(fcntl(50, F_SETFD, FD_CLOEXEC) == 0 && fcntl(50, F_GETFD) == FD_CLOEXEC && fcntl(51, F_GETFD) == 0,
          "F_SETFD is per descriptor");
    check((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL of the read end: O_RDONLY");
    check((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "F_GETFL of the write end: O_WRONLY");
    check(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0 && (fcntl(p[1], F_GETFL) & O_NONBLOCK), "F_SETFL O_NONBLOCK");
    check((fcntl(50, F_GETFL) & O_NONBLOCK) != 0, "status flags shared by duplicates (same open file description)");
    errno = 0;
    check(fcntl(99, F_GETFD) == -1 && errno == EBADF, "F_GETFD of a closed descriptor: EBADF");
    errno = 0;
    check(dup(99) == -1 && errno == EBADF, "dup of a closed descriptor: EBADF");
    char buf[4];
    check(read(p[0], buf, 4) == 2 && memcmp(buf, "ab", 2) == 0, "read end sees what the dup wrote");
    close(d), close(40), close(41), close(50), close(51), close(52);
    check(dup(p[0]) == d, "dup reuses the lowest free descriptor");
    close(d), close(p[0]), close(p[1]);
  }

  /* poll, ppoll, select, pselect. */
  {
    int p[2];
    if (pipe(p)) return 1;
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    check(poll(pf, 1, 0) == 0 && pf[0].revents == 0, "poll timeout 0 on an empty pipe returns 0");
    check(poll(&pf[1], 1, 0) == 1 && pf[1].revents == POLLOUT, "POLLOUT on an empty pipe's write end");
    check(poll(pf, 1, 10) == 0, "poll with a 10 ms timeout on an empty pipe returns 0");
    if (write(p[1], "x", 1) != 1) return 1;
    pf[0].revents = 0;
    check(poll(pf, 2, 0) == 2 && pf[0].revents == POLLIN, "POLLIN after a write");
    struct timespec ts = {0, 0};
    pf[0].revents = 0;
    check(ppoll(pf, 1, &ts, NULL) == 1 && pf[0].revents == POLLIN, "ppoll: POLLIN");
    fd_set rd, wr;
    FD_ZERO(&rd); FD_ZERO(&wr);
    FD_SET(p[0], &rd); FD_SET(p[1], &wr);
    struct timeval tv = {0, 0};
    check(select(p[1] + 1, &rd, &wr, NULL, &tv) == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
          "select: read end readable, write end writable");
    char c;
    if (read(p[0], &c, 1) != 1) return 1;
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    tv.tv_sec = 0, tv.tv_usec = 0;
    check(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd), "select on an empty pipe: 0");
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    struct timespec ts10 = {0, 10000000};
    check(pselect(p[0] + 1, &rd, NULL, NULL, &ts10, NULL) == 0, "pselect with a 10 ms timeout: 0");
    /* A child writes later; poll with a long timeout wakes. */
    pid_t pid = fork();
    if (pid == 0) {
      usleep(30000);
      _exit(write(p[1], "y", 1) == 1 ? 0 : 1);
    }
    pf[0].revents = 0;
    check(poll(pf, 1, 5000) == 1 && pf[0].revents == POLLIN, "poll wakes when a child writes later");
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    check(pselect(p[0] + 1, &rd, NULL, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &rd), "pselect: readable");
    reap(pid);
    if (read(p[0], &c, 1) != 1) return 1;
    close(p[1]);
    pf[0].revents = 0;
    check(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLHUP) && !(pf[0].revents & POLLIN),
          "POLLHUP after the writer closes");
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    tv.tv_sec = 0, tv.tv_usec = 0;
    check(select(p[0] + 1, &rd, NULL, NULL, &tv) == 1, "select: a widowed read end is readable (EOF)");
    close(p[0]);
    if (pipe(p)) return 1;
    close(p[0]);
    pf[1].fd = p[1], pf[1].revents = 0;
    check(poll(&pf[1], 1, 0) == 1 && (pf[1].revents & POLLERR), "POLLERR on a write end without readers");
    close(p[1]);
  }

  /* A blocking read is completed by a child's later write. */
  {
    int p[2];
    if (pipe(p)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      usleep(50000);
      _exit(write(p[1], "late", 4) == 4 ? 0 : 1);
    }
    close(p[1]);
    char buf[8] = {0};
    ssize_t n = read(p[0], buf, sizeof buf);
    check(n == 4 && memcmp(buf, "late", 4) == 0, "blocking read returns the child's later write");
    check(read(p[0], buf, sizeof buf) == 0 && reap(pid) == 0, "then EOF");
    close(p[0]);
  }

  printf("%s\n", failed ? "FAILED" : "all passed");
  return failed != 0;
}

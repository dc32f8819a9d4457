/* levbox: a multi-call binary for Levitate. Dispatches on basename(argv[0]), or, when that starts with
 * "levbox", on argv[1]. Applets: echo cat ls wc head sort true false sleep env kill test.
 * `levbox test [DIR]` runs every regular executable file in DIR (default /usr/lib/levitate/tests) in name
 * order, each by fork + execv with stdout and stderr on /dev/null, and prints PASS/FAIL lines and a summary.
 * Processes are created only with fork + exec. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *prog = "levbox";


static const char *err_text(int e) {
  switch (e) {
    case ENOENT: return "No such file or directory";
    case EACCES: return "Permission denied";
    case EISDIR: return "Is a directory";
    case ENOTDIR: return "Not a directory";
    case ESRCH: return "No such process";
    case EPERM: return "Operation not permitted";
    case EINVAL: return "Invalid argument";
    default: return strerror(e);
  }
}
static void perr(const char *name) { fprintf(stderr, "%s: %s: %s\n", prog, name, err_text(errno)); }

/* ---- whole-stream helpers */

static int copy_fd(int in, int out) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, n - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return -1;
      off += w;
    }
  }
}

static char *slurp(int fd, size_t *len) {
  size_t cap = 65536, n = 0;
  char *s = malloc(cap + 1);
  for (;;) {
    if (n == cap) s = realloc(s, (cap *= 2) + 1);
    ssize_t r = read(fd, s + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += r;
  }
  s[n] = 0;
  *len = n;
  return s;
}

static int open_arg(const char *name) {
  if (!strcmp(name, "-")) return 0;
  int fd = open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) perr(name);
  return fd;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- applets */

static int do_echo(int argc, char **argv) {
  int i = 1, newline = 1;
  if (i < argc && !strcmp(argv[i], "-n")) newline = 0, i++;
  for (int first = 1; i < argc; i++, first = 0) printf("%s%s", first ? "" : " ", argv[i]);
  if (newline) putchar('\n');
  return fflush(stdout) ? 1 : 0;
}

static int do_cat(int argc, char **argv) {
  int status = 0;
  if (argc < 2) return copy_fd(0, 1) ? 1 : 0;
  for (int i = 1; i < argc; i++) {
    int fd = open_arg(argv[i]);
    if (fd < 0) { status = 1; continue; }
    if (copy_fd(fd, 1)) perr(argv[i]), status = 1;
    if (fd) close(fd);
  }
  return status;
}

static void mode_string(mode_t m, char *s) {
  s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
  s[10] = 0;
}

static int list_dir(const char *path, int all, int longf) {
  struct stat st;
  if (lstat(path, &st) < 0) { perr(path); return 1; }
  char **names = NULL;
  int n = 0;
  if (!S_ISDIR(st.st_mode)) {
    names = malloc(sizeof *names);
    names[n++] = strdup(path);
  } else {
    DIR *d = opendir(path);
    if (!d) { perr(path); return 1; }
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.' && !all) continue;
      names = realloc(names, (n + 1) * sizeof *names);
      names[n++] = strdup(e->d_name);
    }
    closedir(d);
  }
  qsort(names, n, sizeof *names, cmp_str);
  for (int i = 0; i < n; i++) {
    if (longf) {
      char full[4096], mode[11];
      if (S_ISDIR(st.st_mode)) snprintf(full, sizeof full, "%s/%s", path, names[i]);
      else snprintf(full, sizeof full, "%s", names[i]);
      struct stat s;
      if (lstat(full, &s) < 0) { perr(full); continue; }
      mode_string(s.st_mode, mode);
      printf("%s %2lu %8lld %s\n", mode, (unsigned long)s.st_nlink, (long long)s.st_size, names[i]);
    } else printf("%s\n", names[i]);
    free(names[i]);
  }
  free(names);
  return 0;
}

static int do_ls(int argc, char **argv) {
  int all = 0, longf = 0, i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (char *f = argv[i] + 1; *f; f++) {
      if (*f == 'a') all = 1;
      else if (*f == 'l') longf = 1;
      else if (*f != '1') { fprintf(stderr, "%s: unknown option -%c\n", prog, *f); return 2; }
    }
  if (i == argc) return list_dir(".", all, longf);
  for (int j = i; j < argc; j++) {
    if (argc - i > 1) printf("%s%s:\n", j > i ? "\n" : "", argv[j]);
    status |= list_dir(argv[j], all, longf);
  }
  return status;
}

static int do_wc(int argc, char **argv) {
  int lines = 0, words = 0, bytes = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (char *f = argv[i] + 1; *f; f++) {
      if (*f == 'l') lines = 1;
      else if (*f == 'w') words = 1;
      else if (*f == 'c') bytes = 1;
      else { fprintf(stderr, "%s: unknown option -%c\n", prog, *f); return 2; }
    }
  if (!lines && !words && !bytes) lines = words = bytes = 1;
  int nfiles = argc - i, nin = nfiles ? nfiles : 1, status = 0;
  long long (*counts)[3] = calloc(nin + 1, sizeof *counts);
  int *ok = calloc(nin, sizeof *ok), all_regular = 1;
  long long total_size = 0;
  for (int k = 0; k < nin; k++) {
    const char *name = nfiles ? argv[i + k] : "-";
    int fd = open_arg(name);
    if (fd < 0) { status = 1; continue; }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) total_size += st.st_size;
    else all_regular = 0;
    size_t len;
    char *s = slurp(fd, &len);
    if (fd) close(fd);
    long long l = 0, w = 0;
    int inword = 0;
    for (size_t j = 0; j < len; j++) {
      unsigned char c = s[j];
      if (c == '\n') l++;
      if (isspace(c)) inword = 0;
      else if (!inword) inword = 1, w++;
    }
    free(s);
    counts[k][0] = l, counts[k][1] = w, counts[k][2] = (long long)len, ok[k] = 1;
    for (int c = 0; c < 3; c++) counts[nin][c] += counts[k][c];
  }
  /* coreutils' widths: one count of one input: no padding; otherwise the digits of the total size of
   * regular files, or 7 when an input is not a regular file. */
  int width = 1, selected = lines + words + bytes;
  if (!(selected == 1 && nin == 1)) {
    if (!all_regular) width = 7;
    else for (long long t = total_size; t >= 10; t /= 10) width++;
  }
  int want[3] = {lines, words, bytes};
  for (int k = 0; k <= nin; k++) {
    if (k == nin && nin < 2) break;
    if (k < nin && !ok[k]) continue;
    int first = 1;
    for (int c = 0; c < 3; c++)
      if (want[c]) printf(first ? "%*lld" : " %*lld", width, counts[k][c]), first = 0;
    if (k == nin) printf(" total\n");
    else if (nfiles) printf(" %s\n", argv[i + k]);
    else printf("\n");
  }
  free(counts), free(ok);
  return status;
}

static long parse_count(const char *s, int *bad) {
  char *end;
  long v = strtol(s, &end, 10);
  *bad = *end || end == s || v < 0;
  return v;
}

static int do_head(int argc, char **argv) {
  long n = 10;
  int i = 1, bad = 0, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) n = parse_count(argv[++i], &bad);
    else if (!strncmp(argv[i], "-n", 2)) n = parse_count(argv[i] + 2, &bad);
    else if (isdigit((unsigned char)argv[i][1])) n = parse_count(argv[i] + 1, &bad);
    else bad = 1;
    if (bad) { fprintf(stderr, "%s: head: bad option %s\n", prog, argv[i]); return 2; }
  }
  int nfiles = argc - i;
  for (int k = 0; k < (nfiles ? nfiles : 1); k++) {
    const char *name = nfiles ? argv[i + k] : "-";
    int fd = open_arg(name);
    if (fd < 0) { status = 1; continue; }
    if (nfiles > 1) printf("%s==> %s <==\n", k ? "\n" : "", name);
    long left = n;
    char buf[4096];
    while (left > 0) { /* byte by byte up to the last line, so a pipe's remainder stays unread */
      ssize_t r = read(fd, buf, 1);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      putchar(buf[0]);
      if (buf[0] == '\n') left--;
    }
    if (fd) close(fd);
  }
  return fflush(stdout) ? 1 : status;
}

static int sort_reverse, sort_numeric;
static int cmp_line(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int r;
  if (sort_numeric) {
    double dx = strtod(x, NULL), dy = strtod(y, NULL);
    r = dx < dy ? -1 : dx > dy ? 1 : strcmp(x, y);
  } else r = strcmp(x, y);
  return sort_reverse ? -r : r;
}

static int do_sort(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (char *f = argv[i] + 1; *f; f++) {
      if (*f == 'r') sort_reverse = 1;
      else if (*f == 'n') sort_numeric = 1;
      else { fprintf(stderr, "%s: sort: unknown option -%c\n", prog, *f); return 2; }
    }
  char **lines = NULL;
  size_t n = 0, cap = 0;
  int nfiles = argc - i;
  for (int k = 0; k < (nfiles ? nfiles : 1); k++) {
    int fd = open_arg(nfiles ? argv[i + k] : "-");
    if (fd < 0) { status = 2; continue; }
    size_t len;
    char *s = slurp(fd, &len);
    if (fd) close(fd);
    for (char *p = s; p < s + len;) {
      char *nl = memchr(p, '\n', s + len - p);
      if (nl) *nl = 0;
      if (n == cap) lines = realloc(lines, (cap = cap ? cap * 2 : 256) * sizeof *lines);
      lines[n++] = p;
      p = nl ? nl + 1 : s + len;
    }
  }
  qsort(lines, n, sizeof *lines, cmp_line);
  for (size_t k = 0; k < n; k++) printf("%s\n", lines[k]);
  return fflush(stdout) ? 2 : status;
}

static int do_sleep(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "%s: sleep: missing operand\n", prog); return 1; }
  double total = 0;
  for (int i = 1; i < argc; i++) {
    char *end;
    double v = strtod(argv[i], &end);
    if (end == argv[i] || *end || v < 0) { fprintf(stderr, "%s: sleep: invalid time interval '%s'\n", prog, argv[i]); return 1; }
    total += v;
  }
  struct timespec ts = {(time_t)total, (long)((total - (double)(time_t)total) * 1e9)};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
  return 0;
}

static int do_env(int argc, char **argv) {
  int i = 1;
  if (i < argc && (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-"))) {
    static char *empty[] = {NULL};
    environ = empty, i++;
  }
  for (; i < argc && strchr(argv[i], '=') && argv[i][0] != '='; i++) {
    char *eq = strchr(argv[i], '=');
    *eq = 0;
    setenv(argv[i], eq + 1, 1);
    *eq = '=';
  }
  if (i == argc) {
    for (char **e = environ; *e; e++) printf("%s\n", *e);
    return fflush(stdout) ? 1 : 0;
  }
  execvp(argv[i], argv + i);
  int e = errno;
  fprintf(stderr, "%s: env: '%s': %s\n", prog, argv[i], err_text(e));
  return e == ENOENT ? 127 : 126;
}

static const struct { const char *name; int num; } signals[] = {
  {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
  {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
  {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},
  {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG},
  {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
  {"IO", SIGIO}, {"SYS", SIGSYS},
};
#define NSIGNALS (int)(sizeof signals / sizeof *signals)

static int signal_number(const char *s) {
  if (isdigit((unsigned char)*s)) {
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 0 || v > 64 ? -1 : (int)v;
  }
  if (!strncasecmp(s, "SIG", 3)) s += 3;
  for (int i = 0; i < NSIGNALS; i++)
    if (!strcasecmp(s, signals[i].name)) return signals[i].num;
  return -1;
}

static int do_kill(int argc, char **argv) {
  int sig = SIGTERM, i = 1, status = 0;
  if (i < argc && !strcmp(argv[i], "-l")) {
    for (int k = 0; k < NSIGNALS; k++) printf("%d) SIG%s\n", signals[k].num, signals[k].name);
    return 0;
  }
  if (i < argc && !strcmp(argv[i], "-s") && i + 1 < argc) sig = signal_number(argv[i + 1]), i += 2;
  else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) sig = signal_number(argv[i] + 1), i++;
  if (i < argc && !strcmp(argv[i], "--")) i++;
  if (sig < 0) { fprintf(stderr, "%s: kill: invalid signal %s\n", prog, argv[i - 1]); return 2; }
  if (i == argc) { fprintf(stderr, "%s: kill: usage: kill [-SIG] pid...\n", prog); return 2; }
  for (; i < argc; i++) {
    char *end;
    long pid = strtol(argv[i], &end, 10);
    if (*end || end == argv[i]) { fprintf(stderr, "%s: kill: bad pid %s\n", prog, argv[i]); status = 1; continue; }
    if (kill((pid_t)pid, sig) < 0) { fprintf(stderr, "%s: kill: (%ld): %s\n", prog, pid, err_text(errno)); status = 1; }
  }
  return status;
}

static int do_test(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/usr/lib/levitate/tests";
  DIR *d = opendir(dir);
  if (!d) { perr(dir); return 2; }
  char **names = NULL;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  int passed = 0, failed = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 1), dup2(null, 2), close(null);
      char *args[] = {path, NULL};
      execv(path, args);
      _exit(127);
    }
    int st = 0;
    if (pid < 0) st = 127 << 8;
    else while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) printf("PASS %s\n", names[i]), passed++;
    else if (WIFSIGNALED(st)) printf("FAIL %s (signal %d)\n", names[i], WTERMSIG(st)), failed++;
    else printf("FAIL %s (exit %d)\n", names[i], WEXITSTATUS(st)), failed++;
    fflush(stdout);
    free(names[i]);
  }
  free(names);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

static int do_true(int argc, char **argv) { (void)argc, (void)argv; return 0; }
static int do_false(int argc, char **argv) { (void)argc, (void)argv; return 1; }

static const struct { const char *name; int (*fn)(int, char **); } applets[] = {
  {"cat", do_cat}, {"echo", do_echo}, {"env", do_env}, {"false", do_false}, {"head", do_head},
  {"kill", do_kill}, {"ls", do_ls}, {"sleep", do_sleep}, {"sort", do_sort}, {"test", do_test},
  {"true", do_true}, {"wc", do_wc},
};

int main(int argc, char **argv) {
  const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
  base = base ? base + 1 : argc > 0 ? argv[0] : "levbox";
  if (!strncmp(base, "levbox", 6)) {
    if (argc < 2) {
      printf("levbox: a multi-call binary. Applets:");
      for (size_t i = 0; i < sizeof applets / sizeof *applets; i++) printf(" %s", applets[i].name);
      printf("\n");
      return 0;
    }
    argc--, argv++, base = argv[0];
  }
  prog = base;
  for (size_t i = 0; i < sizeof applets / sizeof *applets; i++)
    if (!strcmp(base, applets[i].name)) {
      signal(SIGPIPE, SIG_DFL);
      return applets[i].fn(argc, argv);
    }
  fprintf(stderr, "levbox: unknown applet '%s'\n", base);
  return 127;
}

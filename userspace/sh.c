/* sh: a small POSIX-flavoured shell for Levitate.
 *   sh SCRIPT [args...] | sh -c 'commands' [name [args...]] | sh  (reads stdin; prompt "$ " on a tty)
 * Simple commands (PATH lookup, execve with the current environment), quotes and backslashes, $VAR ${VAR}
 * $? $$ $! $# $0..$9 $@ $*, assignments and export/unset, pipelines, redirections (< > >> N>&M N<&M N>&-),
 * lists (; && || & newline), `!`, # comments, builtins cd exit wait export unset :. Commands are created
 * only with fork + execve. A file that is not an executable format is run as a script by a forked copy of
 * this shell. No globbing, no command substitution, no control structures. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---------------------------------------------------------------- memory: one arena per command line */

enum { HEADER = 16 }; /* each block: a link to the previous one, then (aligned) the zeroed memory */
static char *arena;

static void *alloc(size_t n) {
  char *b = malloc(HEADER + n);
  if (!b) {
    (void)!write(2, "sh: out of memory\n", 18);
    _exit(2);
  }
  *(char **)b = arena, arena = b;
  return memset(b + HEADER, 0, n);
}
static void free_arena(void) {
  while (arena) {
    char *next = *(char **)arena;
    free(arena);
    arena = next;
  }
}
static void *grow(void *old, size_t oldn, size_t n) {
  void *p = alloc(n);
  if (old) memcpy(p, old, oldn);
  return p;
}
static char *dupn(const char *s, size_t n) {
  char *p = alloc(n + 1);
  memcpy(p, s, n);
  return p;
}

/* Growable string in the arena. */
struct str { char *s; size_t n, cap; };
static void put(struct str *b, char c) {
  if (b->n + 1 >= b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 32;
    b->s = grow(b->s, b->n, cap), b->cap = cap;
  }
  b->s[b->n++] = c, b->s[b->n] = 0;
}
static void puts_(struct str *b, const char *s) { while (*s) put(b, *s++); }

/* Growable array of pointers in the arena. */
struct vec { void **v; int n, cap; };
static void push(struct vec *a, void *p) {
  if (a->n + 1 >= a->cap) {
    int cap = a->cap ? a->cap * 2 : 8;
    a->v = grow(a->v, a->n * sizeof *a->v, cap * sizeof *a->v), a->cap = cap;
  }
  a->v[a->n++] = p, a->v[a->n] = NULL;
}

static void err(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof line - 2) n = sizeof line - 2;
  line[n++] = '\n';
  (void)!write(2, "sh: ", 4);
  (void)!write(2, line, n);
}

/* ---------------------------------------------------------------- variables */

struct var { char *name, *value; struct var *next; }; /* unexported shell variables (malloc'd) */
static struct var *vars;
static int last_status;
static pid_t last_bg;
/* At a terminal: SIGINT is caught (Ctrl-C discards the line being typed), SIGQUIT and SIGTSTP ignored (no job
 * control here); commands get the default dispositions back, background ones ignore SIGINT (POSIX). */
static int interactive_shell;
static volatile sig_atomic_t interrupted;
static int killed_by_sigint; /* a command died of Ctrl-C: the prompt goes on a new line */
static void on_sigint(int sig) { (void)sig; interrupted = 1; }
static void child_signals(int background) {
  if (!interactive_shell) return;
  interactive_shell = 0;
  signal(SIGINT, background ? SIG_IGN : SIG_DFL);
  if (!background) signal(SIGQUIT, SIG_DFL), signal(SIGTSTP, SIG_DFL);
}
static char *arg0 = "sh";
static char **params; /* $1... */
static int nparams;

static struct var **find_var(const char *name) {
  struct var **v = &vars;
  while (*v && strcmp((*v)->name, name)) v = &(*v)->next;
  return v;
}
static const char *get_var(const char *name) {
  struct var *v = *find_var(name);
  return v ? v->value : getenv(name);
}
static void unset_var(const char *name) {
  struct var **v = find_var(name), *d = *v;
  if (d) *v = d->next, free(d->name), free(d->value), free(d);
  unsetenv(name);
}
static void set_var(const char *name, const char *value) {
  if (getenv(name)) { setenv(name, value, 1); return; } /* exported: stays in the environment */
  struct var **v = find_var(name);
  if (!*v) {
    *v = calloc(1, sizeof **v);
    (*v)->name = strdup(name);
  } else free((*v)->value);
  (*v)->value = strdup(value);
}
static void export_var(const char *name, const char *value) {
  struct var *v = *find_var(name);
  if (!value && v) value = v->value;
  if (value) setenv(name, value, 1);
  if (v) unset_var(name), setenv(name, value, 1);
}
static int is_name(const char *s, size_t n) {
  if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
  for (size_t i = 1; i < n; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return 0;
  return 1;
}

/* ---------------------------------------------------------------- lexer */

enum { T_WORD, T_NL, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_REDIR, T_END };
enum { R_IN, R_OUT, R_APPEND, R_DUP }; /* R_DUP: fd>&M, fd<&M, fd>&- */
struct tok { int type, fd, kind; char *text; };

enum { OK, INCOMPLETE, SYNTAX };
static int perr;            /* OK, INCOMPLETE or SYNTAX, set by the lexer and parser */
static const char *perr_at; /* the offending token for SYNTAX */

/* A word's raw text, quotes kept (expansion happens when the command runs). */
static char *lex_word(const char **pp) {
  const char *p = *pp;
  struct str w = {0};
  put(&w, 0), w.n = 0;
  while (*p && !strchr(" \t\n;&|<>", *p)) {
    if (*p == '\\') {
      if (p[1] == '\n') { p += 2; continue; }
      if (!p[1]) { perr = INCOMPLETE; break; }
      put(&w, *p++), put(&w, *p++);
    } else if (*p == '\'' || *p == '"') {
      char q = *p;
      put(&w, *p++);
      while (*p && *p != q) {
        if (q == '"' && *p == '\\' && p[1]) put(&w, *p++);
        put(&w, *p++);
      }
      if (!*p) { perr = INCOMPLETE; break; }
      put(&w, *p++);
    } else if (*p == '$' && p[1] == '{') {
      while (*p && *p != '}') put(&w, *p++);
      if (!*p) { perr = SYNTAX, perr_at = "${"; break; }
      put(&w, *p++);
    } else put(&w, *p++);
  }
  *pp = p;
  return w.s;
}

static struct tok **lex(const char *p) {
  struct vec toks = {0};
  for (;;) {
    struct tok *t = alloc(sizeof *t);
    push(&toks, t);
    while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n')) p += *p == '\\' ? 2 : 1;
    if (*p == '#')
      while (*p && *p != '\n') p++;
    if (!*p) { t->type = T_END; break; }
    if (*p == '\n') { t->type = T_NL, p++; continue; }
    if (*p == ';') { t->type = T_SEMI, p++; continue; }
    if (*p == '&') { t->type = p[1] == '&' ? T_AND : T_AMP, p += p[1] == '&' ? 2 : 1; continue; }
    if (*p == '|') { t->type = p[1] == '|' ? T_OR : T_PIPE, p += p[1] == '|' ? 2 : 1; continue; }
    const char *q = p;
    int fd = -1;
    if (isdigit((unsigned char)*q)) {
      while (isdigit((unsigned char)*q)) q++;
      if (*q == '<' || *q == '>') fd = atoi(p), p = q;
    }
    if (*p == '<' || *p == '>') {
      t->type = T_REDIR;
      t->fd = fd >= 0 ? fd : *p == '<' ? 0 : 1;
      if (p[0] == '>' && p[1] == '>') t->kind = R_APPEND, p += 2;
      else if (p[1] == '&') t->kind = R_DUP, p += 2;
      else if (p[0] == '>' && p[1] == '|') t->kind = R_OUT, p += 2;
      else t->kind = *p == '<' ? R_IN : R_OUT, p++;
      while (*p == ' ' || *p == '\t') p++;
      t->text = lex_word(&p);
      if (perr) break;
      if (!*t->text) { perr = SYNTAX, perr_at = *p ? dupn(p, 1) : "newline"; break; }
      continue;
    }
    t->type = T_WORD;
    t->text = lex_word(&p);
    if (perr) break;
  }
  return (struct tok **)toks.v;
}

/* ---------------------------------------------------------------- parser */

struct redir { int fd, kind; char *word; };
struct cmd { struct vec words, redirs; };
struct pipeline { struct vec cmds; int bang; };
struct andor { struct vec pipes; struct vec ops; int background; };

static struct tok **tp; /* current token */
#define TOK (*tp)

static const char *tok_name(struct tok *t) {
  static const char *names[] = {"word", "newline", ";", "&", "&&", "||", "|", "redirection", "end of file"};
  return t->type == T_WORD ? t->text : names[t->type];
}
static void syntax(void) {
  if (!perr) perr = TOK->type == T_END ? INCOMPLETE : SYNTAX, perr_at = tok_name(TOK);
}
static void skip_newlines(void) {
  while (TOK->type == T_NL) tp++;
}

static struct cmd *parse_command(void) {
  struct cmd *c = alloc(sizeof *c);
  while (TOK->type == T_WORD || TOK->type == T_REDIR) {
    if (TOK->type == T_WORD) push(&c->words, TOK->text);
    else {
      struct redir *r = alloc(sizeof *r);
      r->fd = TOK->fd, r->kind = TOK->kind, r->word = TOK->text;
      push(&c->redirs, r);
    }
    tp++;
  }
  if (!c->words.n && !c->redirs.n) syntax();
  return c;
}

static struct pipeline *parse_pipeline(void) {
  struct pipeline *p = alloc(sizeof *p);
  if (TOK->type == T_WORD && !strcmp(TOK->text, "!")) p->bang = 1, tp++;
  push(&p->cmds, parse_command());
  while (!perr && TOK->type == T_PIPE) {
    tp++;
    skip_newlines();
    push(&p->cmds, parse_command());
  }
  return p;
}

static struct andor *parse_andor(void) {
  struct andor *a = alloc(sizeof *a);
  push(&a->pipes, parse_pipeline());
  while (!perr && (TOK->type == T_AND || TOK->type == T_OR)) {
    push(&a->ops, TOK->type == T_AND ? "&&" : "||");
    tp++;
    skip_newlines();
    push(&a->pipes, parse_pipeline());
  }
  return a;
}

/* The whole input so far: a list of and-or lists, or perr set. */
static struct vec parse(const char *text) {
  struct vec list = {0};
  perr = OK;
  tp = lex(text);
  if (perr) return list;
  for (;;) {
    skip_newlines();
    if (TOK->type == T_END) break;
    struct andor *a = parse_andor();
    if (perr) break;
    if (TOK->type == T_AMP) a->background = 1, tp++;
    else if (TOK->type == T_SEMI) tp++;
    else if (TOK->type != T_NL && TOK->type != T_END) { syntax(); break; }
    push(&list, a);
  }
  return list;
}

/* ---------------------------------------------------------------- expansion */

/* Expands one raw word into fields (split unless `nosplit`): quotes removed, $ expansions, ~ at the start. */
static void expand(const char *w, struct vec *fields, int nosplit) {
  struct str cur = {0};
  int have = 0; /* cur is a field even if empty (it had quotes) */
  char num[32];
  if (w[0] == '~' && (w[1] == '/' || !w[1]) && get_var("HOME")) puts_(&cur, get_var("HOME")), have = 1, w++;
  for (const char *p = w; *p;) {
    if (*p == '\'') {
      have = 1;
      for (p++; *p && *p != '\''; p++) put(&cur, *p);
      if (*p) p++;
      continue;
    }
    if (*p == '\\') {
      if (p[1]) put(&cur, p[1]), have = 1, p += 2;
      else p++;
      continue;
    }
    int dq = *p == '"';
    if (dq) {
      have = 1, p++;
    }
    /* In double quotes: up to the closing quote; unquoted: just this one character or expansion. */
    do {
      if (dq && *p == '"') { p++; break; }
      if (dq && *p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) { put(&cur, p[1]), p += 2; continue; }
      if (*p != '$') { put(&cur, *p++); if (dq) continue; else break; }
      /* $ expansion */
      const char *val = NULL, *name = p + 1;
      size_t len = 0;
      int all = 0;
      if (*name == '{') {
        const char *end = strchr(name, '}');
        name++, len = end ? (size_t)(end - name) : strlen(name);
        p = name + len + (end != NULL);
      } else if (*name && strchr("?$!#@*0123456789", *name)) len = 1, p = name + 1;
      else {
        while (isalnum((unsigned char)name[len]) || name[len] == '_') len++;
        if (len == 0) { put(&cur, '$'), p++; if (dq) continue; else break; }
        p = name + len;
      }
      char *n = dupn(name, len);
      if (!strcmp(n, "?")) snprintf(num, sizeof num, "%d", last_status), val = num;
      else if (!strcmp(n, "$")) snprintf(num, sizeof num, "%d", (int)getpid()), val = num;
      else if (!strcmp(n, "!")) snprintf(num, sizeof num, "%d", (int)last_bg), val = last_bg ? num : "";
      else if (!strcmp(n, "#")) snprintf(num, sizeof num, "%d", nparams), val = num;
      else if (!strcmp(n, "0")) val = arg0;
      else if (isdigit((unsigned char)n[0])) val = atoi(n) <= nparams ? params[atoi(n) - 1] : "";
      else if (!strcmp(n, "@") || !strcmp(n, "*")) all = 1;
      else val = get_var(n);
      if (all) {
        for (int i = 0; i < nparams; i++) {
          if (i) {
            if (!dq && !nosplit) { push(fields, cur.s ? cur.s : dupn("", 0)); cur = (struct str){0}; }
            else put(&cur, ' ');
          }
          puts_(&cur, params[i]);
          have = 1;
        }
        if (dq) continue;
        else break;
      }
      if (!val) val = "";
      if (dq || nosplit) { puts_(&cur, val); continue; }
      for (const char *v = val; *v; v++) { /* field splitting on blanks */
        if (strchr(" \t\n", *v)) {
          if (have || cur.n) push(fields, cur.s ? cur.s : dupn("", 0)), cur = (struct str){0}, have = 0;
        } else put(&cur, *v), have = 1;
      }
      break;
    } while (*p);
  }
  if (have || cur.n || nosplit) push(fields, cur.s ? cur.s : dupn("", 0));
}

static char *expand1(const char *w) {
  struct vec f = {0};
  expand(w, &f, 1);
  return f.v[0];
}

/* ---------------------------------------------------------------- redirections */

static int saved[10]; /* while a builtin runs in the shell: copies of fds 0..9 (-1: was closed, -2: untouched) */

static int redirect(struct vec *redirs, int save) {
  for (int i = 0; i < redirs->n; i++) {
    struct redir *r = redirs->v[i];
    char *target = expand1(r->word);
    if (save && r->fd < 10 && saved[r->fd] == -2) saved[r->fd] = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
    if (r->kind == R_DUP) {
      if (!strcmp(target, "-")) { close(r->fd); continue; }
      char *end;
      long m = strtol(target, &end, 10);
      if (*end || end == target || m < 0) { err("%s: bad file descriptor", target); return -1; }
      if (m != r->fd && dup2((int)m, r->fd) < 0) { err("%ld: bad file descriptor", m); return -1; }
      continue;
    }
    int flags = r->kind == R_IN ? O_RDONLY : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY | O_CREAT | O_APPEND;
    int fd = open(target, flags, 0666);
    if (fd < 0) {
      err("cannot %s %s: %s", r->kind == R_IN ? "open" : "create", target,
          errno == ENOENT ? "No such file or directory" : errno == EACCES ? "Permission denied" :
          errno == EISDIR ? "Is a directory" : strerror(errno));
      return -1;
    }
    if (fd != r->fd) dup2(fd, r->fd), close(fd);
  }
  return 0;
}

static void restore(void) {
  for (int fd = 0; fd < 10; fd++) {
    if (saved[fd] == -2) continue;
    if (saved[fd] >= 0) dup2(saved[fd], fd), close(saved[fd]);
    else close(fd);
    saved[fd] = -2;
  }
}

/* ---------------------------------------------------------------- running */

static int run_text_source(int fd, const char *text, int interactive);

static int status_of(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  if (WIFSTOPPED(st)) return 128 + WSTOPSIG(st);
  return 1;
}

static int wait_for(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return 127;
  if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT) killed_by_sigint = 1;
  return status_of(st);
}

/* In a forked child: execute argv (PATH search), or report and exit 126/127. */
static void exec_command(char **argv) {
  const char *name = argv[0];
  int e = ENOENT;
  char path[4096];
  if (strchr(name, '/')) {
    execve(name, argv, environ);
    e = errno;
    snprintf(path, sizeof path, "%s", name);
  } else {
    const char *dirs = get_var("PATH");
    if (!dirs) dirs = "/usr/local/bin:/usr/bin:/bin";
    int found = 0;
    for (const char *d = dirs;; d++) {
      const char *end = strchr(d, ':');
      size_t len = end ? (size_t)(end - d) : strlen(d);
      snprintf(path, sizeof path, "%.*s%s%s", (int)len, d, len ? "/" : "", name);
      execve(path, argv, environ);
      if (errno != ENOENT && errno != ENOTDIR && !found) found = 1, e = errno;
      if (!end) break;
      d = end;
    }
    if (found) { /* re-find the first path that was there, for a script */
      for (const char *d = dirs;; d++) {
        const char *end = strchr(d, ':');
        size_t len = end ? (size_t)(end - d) : strlen(d);
        snprintf(path, sizeof path, "%.*s%s%s", (int)len, d, len ? "/" : "", name);
        if (access(path, F_OK) == 0) break;
        if (!end) break;
        d = end;
      }
    }
  }
  if (e == ENOEXEC) { /* not a binary: a script for this shell, unless it looks binary (a NUL in line 1) */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char head[256];
    ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
    char *nl = n > 0 ? memchr(head, '\n', n) : NULL;
    if (n > 0 && memchr(head, 0, nl ? (size_t)(nl - head) : (size_t)n)) {
      err("%s: Exec format error", name);
      _exit(126);
    }
    if (fd >= 0) {
      arg0 = argv[0], params = argv + 1;
      for (nparams = 0; params[nparams]; nparams++) {}
      last_status = 0;
      exit(run_text_source(fd, NULL, 0));
    }
    e = errno;
  }
  if (e == ENOENT) { err("%s: not found", name); _exit(127); }
  err("%s: %s", name, e == EACCES ? "Permission denied" : e == EISDIR ? "Is a directory" : strerror(e));
  _exit(126);
}

static const char *builtins[] = {"cd", "exit", "wait", "export", "unset", ":", NULL};
static int is_builtin(const char *name) {
  for (int i = 0; builtins[i]; i++)
    if (!strcmp(builtins[i], name)) return 1;
  return 0;
}

static int builtin(int argc, char **argv) {
  const char *b = argv[0];
  if (!strcmp(b, ":")) return 0;
  if (!strcmp(b, "exit")) {
    int code = argc > 1 ? atoi(argv[1]) & 255 : last_status;
    exit(code);
  }
  if (!strcmp(b, "cd")) {
    const char *dir = argc > 1 ? argv[1] : get_var("HOME");
    if (!dir || chdir(dir) < 0) { err("cd: can't cd to %s", dir ? dir : "(no HOME)"); return 1; }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) setenv("PWD", cwd, 1);
    return 0;
  }
  if (!strcmp(b, "wait")) {
    int st, status = 0;
    if (argc > 1) {
      for (int i = 1; i < argc; i++) status = wait_for((pid_t)atoi(argv[i]));
      return status;
    }
    while (waitpid(-1, &st, 0) > 0 || errno == EINTR) {}
    return 0;
  }
  if (!strcmp(b, "export")) {
    if (argc == 1) {
      for (char **e = environ; *e; e++) dprintf(1, "export %s\n", *e);
      return 0;
    }
    for (int i = 1; i < argc; i++) {
      char *eq = strchr(argv[i], '=');
      char *name = eq ? dupn(argv[i], eq - argv[i]) : argv[i];
      if (!is_name(name, strlen(name))) { err("export: %s: bad variable name", name); return 1; }
      export_var(name, eq ? eq + 1 : NULL);
    }
    return 0;
  }
  if (!strcmp(b, "unset")) {
    for (int i = 1; i < argc; i++) unset_var(argv[i]);
    return 0;
  }
  return 1;
}

/* A simple command's words after expansion: leading NAME=value assignments, then argv. */
struct expanded { struct vec assigns, argv; };
static void expand_command(struct cmd *c, struct expanded *x) {
  int i = 0;
  for (; i < c->words.n; i++) {
    char *w = c->words.v[i], *eq = strchr(w, '=');
    if (x->argv.n || !eq || !is_name(w, eq - w)) break;
    push(&x->assigns, w);
  }
  for (; i < c->words.n; i++) expand(c->words.v[i], &x->argv, 0);
}
static void assign(struct expanded *x, int to_env) {
  for (int i = 0; i < x->assigns.n; i++) {
    char *w = x->assigns.v[i], *eq = strchr(w, '=');
    char *name = dupn(w, eq - w), *value = expand1(eq + 1);
    if (to_env) setenv(name, value, 1);
    else set_var(name, value);
  }
}

/* In a child of a pipeline (or of a single external command): redirect and run, never return. */
static void run_in_child(struct cmd *c, struct expanded *x) {
  child_signals(0);
  if (redirect(&c->redirs, 0) < 0) _exit(1);
  if (!x->argv.n) _exit(0);
  char **argv = (char **)x->argv.v;
  if (is_builtin(argv[0])) { assign(x, 0); exit(builtin(x->argv.n, argv)); }
  assign(x, 1);
  exec_command(argv);
}

static int run_pipeline(struct pipeline *p) {
  int n = p->cmds.n, status;
  if (n == 1) {
    struct cmd *c = p->cmds.v[0];
    struct expanded x = {0};
    expand_command(c, &x);
    if (!x.argv.n || is_builtin(x.argv.v[0])) { /* in the shell itself */
      for (int fd = 0; fd < 10; fd++) saved[fd] = -2;
      status = redirect(&c->redirs, 1) < 0 ? 1 : 0;
      if (status == 0) {
        assign(&x, 0);
        if (x.argv.n) status = builtin(x.argv.n, (char **)x.argv.v);
      }
      restore();
    } else {
      pid_t pid = fork();
      if (pid == 0) run_in_child(c, &x);
      status = pid < 0 ? (err("fork: %s", strerror(errno)), 2) : wait_for(pid);
    }
  } else {
    pid_t *pids = alloc(n * sizeof *pids);
    int in = -1;
    for (int i = 0; i < n; i++) {
      int fds[2] = {-1, -1};
      if (i + 1 < n && pipe2(fds, O_CLOEXEC) < 0) { err("pipe: %s", strerror(errno)); break; }
      pids[i] = fork();
      if (pids[i] == 0) {
        if (in >= 0) dup2(in, 0);
        if (fds[1] >= 0) dup2(fds[1], 1); /* dup2 clears FD_CLOEXEC on the copy */
        struct expanded x = {0};
        expand_command(p->cmds.v[i], &x);
        run_in_child(p->cmds.v[i], &x);
      }
      if (in >= 0) close(in);
      if (fds[1] >= 0) close(fds[1]);
      in = fds[0];
    }
    if (in >= 0) close(in);
    status = 0;
    for (int i = 0; i < n; i++) {
      int s = pids[i] > 0 ? wait_for(pids[i]) : 2;
      if (i == n - 1) status = s;
    }
  }
  return p->bang ? !status : status;
}

static int run_andor(struct andor *a) {
  int status = last_status = run_pipeline(a->pipes.v[0]); /* $? in the next pipeline of the list */
  for (int i = 0; i < a->ops.n; i++) {
    int and = !strcmp(a->ops.v[i], "&&");
    if ((and && status == 0) || (!and && status != 0)) status = last_status = run_pipeline(a->pipes.v[i + 1]);
  }
  return status;
}

static void run_list(struct vec *list) {
  for (int i = 0; i < list->n; i++) {
    struct andor *a = list->v[i];
    if (a->background) {
      pid_t pid = fork();
      if (pid == 0) {
        child_signals(1);
        int fd = open("/dev/null", O_RDONLY); /* no job control: background jobs read /dev/null */
        if (fd > 0) dup2(fd, 0), close(fd);
        exit(run_andor(a));
      }
      if (pid > 0) last_bg = pid;
      last_status = pid > 0 ? 0 : 2;
    } else last_status = run_andor(a);
  }
}

/* ---------------------------------------------------------------- input */

/* Reads one line (with its '\n') from fd one byte at a time, so commands reading the same fd (stdin) get
 * everything after it, or from text. Returns 0 at end of input, -1 when Ctrl-C interrupted it. */
static int read_line(int fd, const char **text, struct str *into) {
  if (text) {
    if (!**text) return 0;
    while (**text) {
      char c = *(*text)++;
      put(into, c);
      if (c == '\n') break;
    }
    return 1;
  }
  int any = 0;
  char c;
  for (;;) {
    ssize_t r = read(fd, &c, 1);
    if (r < 0 && errno == EINTR && interrupted) return -1;
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return any;
    any = 1;
    put(into, c);
    if (c == '\n') return 1;
  }
}

static int run_text_source(int fd, const char *text, int interactive) {
  struct str acc = {0};
  char *pending = NULL; /* the accumulated text survives free_arena while a command is incomplete */
  for (;;) {
    if (interactive) {
      int st;
      while (waitpid(-1, &st, WNOHANG) > 0) {} /* finished background jobs */
      (void)!write(2, pending ? "> " : "$ ", 2);
    }
    acc = (struct str){0};
    if (pending) puts_(&acc, pending), free(pending), pending = NULL;
    size_t before = acc.n;
    interrupted = 0;
    int more = read_line(fd, text ? &text : NULL, &acc);
    if (more < 0) { /* Ctrl-C at the prompt: the line is dropped */
      (void)!write(2, "\n", 1);
      free_arena();
      continue;
    }
    if (!more && acc.n == before) {
      if (acc.n) { err("syntax error: unexpected end of file"); last_status = 2; }
      break;
    }
    struct vec list = parse(acc.s ? acc.s : "");
    int continued = acc.n >= 2 && acc.s[acc.n - 2] == '\\' && acc.s[acc.n - 1] == '\n' && !perr;
    if ((perr == INCOMPLETE || continued) && more) pending = strdup(acc.s);
    else if (perr) {
      err("syntax error: unexpected %s", perr == INCOMPLETE ? "end of file" : perr_at);
      last_status = 2;
      if (!interactive) { free_arena(); return 2; }
    } else {
      killed_by_sigint = 0;
      run_list(&list);
      if (interactive && killed_by_sigint) (void)!write(2, "\n", 1);
    }
    free_arena();
  }
  free_arena();
  return last_status;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_DFL);
  if (argc >= 2 && !strcmp(argv[1], "-c")) {
    if (argc < 3) { err("-c: option requires an argument"); return 2; }
    if (argc > 3) arg0 = argv[3], params = argv + 4, nparams = argc - 4;
    else arg0 = argv[0];
    return run_text_source(-1, argv[2], 0);
  }
  if (argc >= 2) {
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) { err("cannot open %s: %s", argv[1], errno == ENOENT ? "No such file" : strerror(errno)); return 127; }
    arg0 = argv[1], params = argv + 2, nparams = argc - 2;
    return run_text_source(fd, NULL, 0);
  }
  arg0 = argv[0];
  if (isatty(0)) {
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint; /* no SA_RESTART: a read at the prompt returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    interactive_shell = 1;
  }
  return run_text_source(0, NULL, isatty(0));
}

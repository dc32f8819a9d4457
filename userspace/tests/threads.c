/* Kernel conformance: threads (clone with CLONE_THREAD via pthread_create). Four threads increment a
 * mutex-protected counter, return values through pthread_join, thread ids differ from the process id, a
 * thread exits while the others go on, and 100 threads made one after another each run with their own
 * thread-local storage. One line per check; exits 0 only when every check passed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failed;
static void check(int ok, const char *what) {
  if (!ok) failed++;
  printf("%s - %s\n", ok ? "ok" : "not ok", what);
  fflush(stdout);
}

enum { THREADS = 4, ROUNDS = 10000 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pthread_t selves[THREADS];
static pid_t tids[THREADS], pids[THREADS];

static void *worker(void *arg) {
  int i = (int)(intptr_t)arg;
  selves[i] = pthread_self();
  tids[i] = (pid_t)syscall(SYS_gettid);
  pids[i] = getpid();
  for (int r = 0; r < ROUNDS; r++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  return (void *)(intptr_t)(100 + i);
}

/* Exits early with pthread_exit while `slow` keeps going until released. */
static void *quitter(void *arg) {
  (void)arg;
  pthread_exit((void *)(intptr_t)7);
  return NULL;
}
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

/* One of a series: its thread-local copy starts at its initial value whatever the last thread did to its own. */
static __thread long local = 5;
static void *one_of_many(void *arg) {
  long seen = local;
  local = (long)(intptr_t)arg;
  return (void *)(intptr_t)(seen == 5 && local == (long)(intptr_t)arg);
}
static void *slow(void *arg) {
  (void)arg;
  pthread_mutex_lock(&gate); /* held by main until the quitter is joined */
  pthread_mutex_unlock(&gate);
  return (void *)(intptr_t)8;
}

int main(void) {
  pthread_t t[THREADS];
  int made = 1;
  for (int i = 0; i < THREADS; i++) made &= pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0;
  check(made, "pthread_create starts four threads");
  int rets = 1;
  for (int i = 0; i < THREADS; i++) {
    void *r = NULL;
    rets &= pthread_join(t[i], &r) == 0 && (intptr_t)r == 100 + i;
  }
  check(rets, "pthread_join returns each thread's return value");
  check(counter == (long)THREADS * ROUNDS, "mutex-protected counter reaches 4 x 10000");
  int differ = 1;
  pid_t me = getpid(), main_tid = (pid_t)syscall(SYS_gettid);
  for (int i = 0; i < THREADS; i++) {
    differ &= !pthread_equal(selves[i], pthread_self());
    for (int j = 0; j < i; j++) differ &= !pthread_equal(selves[i], selves[j]);
  }
  check(differ, "pthread_self differs between threads");
  int tid_ok = main_tid == me, pid_ok = 1;
  for (int i = 0; i < THREADS; i++) {
    tid_ok &= tids[i] != me && tids[i] > 0;
    for (int j = 0; j < i; j++) tid_ok &= tids[i] != tids[j];
    pid_ok &= pids[i] == me;
  }
  check(tid_ok, "gettid in a thread differs from getpid (and equals it in the main thread)");
  check(pid_ok, "getpid in every thread is the process id");

  pthread_mutex_lock(&gate);
  pthread_t q, s;
  made = pthread_create(&s, NULL, slow, NULL) == 0 && pthread_create(&q, NULL, quitter, NULL) == 0;
  void *r = NULL;
  check(made && pthread_join(q, &r) == 0 && (intptr_t)r == 7, "pthread_exit value reaches pthread_join");
  pthread_mutex_unlock(&gate);
  r = NULL;
  check(made && pthread_join(s, &r) == 0 && (intptr_t)r == 8, "another thread goes on after one exits");

  int series = 1;
  for (int i = 1; i <= 100 && series; i++) {
    pthread_t one;
    r = NULL;
    series = pthread_create(&one, NULL, one_of_many, (void *)(intptr_t)i) == 0 && pthread_join(one, &r) == 0 && (intptr_t)r == 1;
  }
  check(series, "100 threads one after another, each with fresh thread-local storage");

  printf("%s\n", failed ? "FAILED" : "all passed");
  return failed != 0;
}

/* Call/return-heavy recursion. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  uint32_t sum = 0;
  for (int r = 0; r < scale; r++) sum += fib(24 + (r & 1));
  printf("fib %u\n", sum);
  return 0;
}

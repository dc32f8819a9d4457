/* libc string and memory routines: memcpy, memset, strlen, strcmp, strchr, memcmp on varied sizes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  static char a[8192], b[8192];
  uint32_t acc = 0;
  for (int r = 0; r < scale * 200; r++) {
    uint32_t n = 64 + (uint32_t)(r * 37) % 8000;
    memset(a, 'a' + r % 26, n);
    a[n] = 0;
    memcpy(b, a, n + 1);
    b[n / 2] ^= (char)(r & 1);
    acc += (uint32_t)strlen(a) + (uint32_t)(strcmp(a, b) != 0) + (uint32_t)(memcmp(a, b, n) < 0);
    const char *p = strchr(a, 'z' + 1);
    acc += p ? 1u : 0u;
  }
  printf("strings %u\n", acc);
  return 0;
}

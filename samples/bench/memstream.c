/* Memory streaming: copy, scale and sum large arrays (a STREAM-like triad). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LEN (1 << 18)

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  uint32_t *x = malloc(LEN * sizeof *x), *y = malloc(LEN * sizeof *y), *z = malloc(LEN * sizeof *z);
  for (uint32_t i = 0; i < LEN; i++) {
    x[i] = i * 2654435761u;
    y[i] = i ^ 0x5bd1e995u;
  }
  uint64_t sum = 0;
  for (int r = 0; r < scale; r++) {
    for (uint32_t i = 0; i < LEN; i++) z[i] = x[i] + 3u * y[i];
    for (uint32_t i = 0; i < LEN; i++) y[i] = z[i] ^ (uint32_t)r;
    for (uint32_t i = 0; i < LEN; i++) sum += z[i];
  }
  printf("memstream %llu\n", (unsigned long long)sum);
  free(x);
  free(y);
  free(z);
  return 0;
}

/* Sorting: qsort with a comparison callback and a hand-written merge sort. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEN 20000

static int cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static void msort(uint32_t *v, uint32_t *tmp, uint32_t n) {
  if (n < 2) return;
  uint32_t h = n / 2;
  msort(v, tmp, h);
  msort(v + h, tmp, n - h);
  uint32_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  uint32_t *v = malloc(LEN * sizeof *v), *w = malloc(LEN * sizeof *w), *tmp = malloc(LEN * sizeof *tmp);
  uint32_t x = 42, check = 0;
  for (int r = 0; r < scale; r++) {
    for (uint32_t i = 0; i < LEN; i++) { x = x * 1664525u + 1013904223u; v[i] = w[i] = x >> 3; }
    qsort(v, LEN, sizeof *v, cmp);
    msort(w, tmp, LEN);
    check += v[r % LEN] ^ w[(r * 31) % LEN] ^ (uint32_t)(memcmp(v, w, LEN * sizeof *v) == 0);
  }
  printf("sort %u\n", check);
  return 0;
}

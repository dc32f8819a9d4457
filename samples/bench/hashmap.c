/* A chained hash table with malloc'd nodes: inserts, lookups, deletes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node { uint32_t key, val; struct node *next; };
#define BUCKETS 4096

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  struct node **tab = calloc(BUCKETS, sizeof *tab);
  uint32_t x = 1, hits = 0, sum = 0;
  for (int r = 0; r < scale * 20000; r++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    uint32_t k = x % 50000u, h = (k * 2654435761u) >> 20;
    struct node **pp = &tab[h % BUCKETS], *p = *pp;
    while (p && p->key != k) { pp = &p->next; p = *pp; }
    if (p) {
      hits++;
      sum += p->val;
      if (x & 1) { *pp = p->next; free(p); }
      else p->val += 1;
    } else {
      p = malloc(sizeof *p);
      p->key = k; p->val = x & 0xffff; p->next = tab[h % BUCKETS];
      tab[h % BUCKETS] = p;
    }
  }
  printf("hashmap %u %u\n", hits, sum);
  return 0;
}

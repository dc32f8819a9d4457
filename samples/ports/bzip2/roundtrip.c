/* bzip2 workload for the sample ports: deterministic data (text, pseudo-random bytes, runs) compressed and
   decompressed through libbz2's buffer API at several block sizes (fast and small-memory decompression), its
   streaming API with small buffers, and its stdio API on a file in the current directory, printing sizes and
   checksums. The native build's output is the oracle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bzlib.h"

static unsigned seed = 777;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static void fill(char *b, unsigned n, int kind) {
  static const char *words[] = {"alpha", "beta", "gamma", "delta", "bzip2", "burrows", "wheeler", "\n"};
  unsigned i = 0;
  while (i < n) {
    if (kind == 0) {
      const char *w = words[rnd() % 8];
      while (*w && i < n) b[i++] = *w++;
      if (i < n) b[i++] = ' ';
    } else if (kind == 1) {
      b[i++] = (char)rnd();
    } else {
      char c = (char)(rnd() % 4 + 'a');
      unsigned r = rnd() % 2000;
      while (r-- && i < n) b[i++] = c;
    }
  }
}

static unsigned sum(const char *b, unsigned n) { /* Fletcher-style checksum of our own */
  unsigned a = 1, c = 0;
  for (unsigned i = 0; i < n; i++) { a = (a + (unsigned char)b[i]) % 65521; c = (c + a) % 65521; }
  return c << 16 | a;
}

static void fail(const char *what, int err) { printf("FAIL %s: %d\n", what, err); exit(1); }

static void stream(const char *in, unsigned n, int block, unsigned chunk) {
  char *comp = malloc(n + n / 50 + 1000), *back = malloc(n);
  bz_stream s;
  memset(&s, 0, sizeof s);
  int err = BZ2_bzCompressInit(&s, block, 0, 30);
  if (err != BZ_OK) fail("bzCompressInit", err);
  unsigned pos = 0, used = 0;
  do {
    s.next_in = (char *)in + pos;
    s.avail_in = n - pos < chunk ? n - pos : chunk;
    pos += s.avail_in;
    int action = pos == n ? BZ_FINISH : BZ_RUN;
    do {
      s.next_out = comp + used;
      s.avail_out = chunk;
      err = BZ2_bzCompress(&s, action);
      if (err < 0) fail("bzCompress", err);
      used += chunk - s.avail_out;
    } while (action == BZ_FINISH ? err != BZ_STREAM_END : s.avail_in > 0);
  } while (pos < n);
  BZ2_bzCompressEnd(&s);
  memset(&s, 0, sizeof s);
  if ((err = BZ2_bzDecompressInit(&s, 0, 1)) != BZ_OK) fail("bzDecompressInit", err);
  s.next_in = comp;
  s.avail_in = used;
  unsigned got = 0;
  do {
    s.next_out = back + got;
    s.avail_out = n - got < chunk ? n - got : chunk;
    err = BZ2_bzDecompress(&s);
    if (err != BZ_OK && err != BZ_STREAM_END) fail("bzDecompress", err);
    got = (unsigned)(s.next_out - back);
  } while (err != BZ_STREAM_END);
  BZ2_bzDecompressEnd(&s);
  printf("  stream block=%d chunk=%u: %u -> %u bytes, sum %08x, %s\n", block, chunk, n, used, sum(comp, used),
         got == n && !memcmp(in, back, n) ? "ok" : "MISMATCH");
  free(comp);
  free(back);
}

static void file(const char *in, unsigned n) {
  int err;
  FILE *f = fopen("roundtrip.bz2", "wb");
  BZFILE *b = BZ2_bzWriteOpen(&err, f, 9, 0, 0);
  for (unsigned pos = 0; pos < n; pos += 7001) BZ2_bzWrite(&err, b, (char *)in + pos, n - pos < 7001 ? n - pos : 7001);
  unsigned lo, hi;
  BZ2_bzWriteClose(&err, b, 0, &lo, &hi);
  fclose(f);
  printf("  file: %u bytes in, %u out\n", lo, hi);
  f = fopen("roundtrip.bz2", "rb");
  b = BZ2_bzReadOpen(&err, f, 0, 1, NULL, 0);
  char *back = malloc(n + 10);
  int got = 0, r;
  while ((r = BZ2_bzRead(&err, b, back + got, 4096 < n + 10 - got ? 4096 : n + 10 - got)) > 0) got += r;
  printf("  bzRead %d bytes (%s), %s\n", got, err == BZ_STREAM_END ? "end" : "ERROR",
         got == (int)n && !memcmp(in, back, n) ? "ok" : "MISMATCH");
  BZ2_bzReadClose(&err, b);
  fclose(f);
  free(back);
  remove("roundtrip.bz2");
}

int main(void) {
  printf("libbz2 %s\n", BZ2_bzlibVersion());
  static const char *kinds[] = {"text", "random", "runs"};
  unsigned n = 300000;
  char *in = malloc(n), *comp = malloc(n + n / 50 + 1000), *back = malloc(n);
  for (int k = 0; k < 3; k++) {
    fill(in, n, k);
    printf("%s: sum %08x\n", kinds[k], sum(in, n));
    for (int block = 1; block <= 9; block += 4) {
      for (int small = 0; small <= 1; small++) {
        unsigned clen = n + n / 50 + 1000, blen = n;
        int err = BZ2_bzBuffToBuffCompress(comp, &clen, in, n, block, 0, 0);
        if (err != BZ_OK) fail("compress", err);
        if ((err = BZ2_bzBuffToBuffDecompress(back, &blen, comp, clen, small, 0)) != BZ_OK) fail("decompress", err);
        printf("  block %d small %d: %u bytes, sum %08x, %s\n", block, small, clen, sum(comp, clen),
               blen == n && !memcmp(in, back, n) ? "ok" : "MISMATCH");
      }
    }
    stream(in, n, 2, 777);
    stream(in, n, 9, 8192);
    file(in, n);
  }
  free(in);
  free(comp);
  free(back);
  return 0;
}

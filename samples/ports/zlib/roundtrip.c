/* zlib workload for the sample ports: deterministic data (text, pseudo-random bytes, runs) compressed and
   decompressed through every API level — compress2/uncompress at levels 0-9, streaming deflate/inflate with tiny
   buffers and each strategy, raw and gzip wrappers, gzwrite/gzprintf/gzread/gzgets/gzseek on a file in the current
   directory — printing sizes and checksums. The native build's output is the oracle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zlib.h"

static unsigned seed = 12345;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static void fill(unsigned char *b, size_t n, int kind) {
  static const char *words[] = {"lorem", "ipsum", "dolor", "sit", "amet", "levitate", "arm64", "wasm", "zlib", "\n"};
  size_t i = 0;
  while (i < n) {
    if (kind == 0) { /* text */
      const char *w = words[rnd() % 10];
      while (*w && i < n) b[i++] = (unsigned char)*w++;
      if (i < n) b[i++] = ' ';
    } else if (kind == 1) { /* incompressible */
      b[i++] = (unsigned char)rnd();
    } else { /* runs */
      unsigned char c = (unsigned char)rnd();
      size_t r = rnd() % 300;
      while (r-- && i < n) b[i++] = c;
    }
  }
}

static int fail(const char *what, int err) { printf("FAIL %s: %d\n", what, err); exit(1); }

/* Streaming deflate then inflate through buffers of `chunk` bytes. */
static void stream(const unsigned char *in, size_t n, int level, int wbits, int strategy, unsigned chunk) {
  unsigned char *comp = malloc(n * 2 + 1024), *back = malloc(n + 1);
  z_stream s;
  memset(&s, 0, sizeof s);
  int err = deflateInit2(&s, level, Z_DEFLATED, wbits, 8, strategy);
  if (err != Z_OK) fail("deflateInit2", err);
  size_t used = 0, pos = 0;
  do {
    s.next_in = (unsigned char *)in + pos;
    s.avail_in = (uInt)(n - pos < chunk ? n - pos : chunk);
    pos += s.avail_in;
    int flush = pos == n ? Z_FINISH : Z_NO_FLUSH;
    do {
      s.next_out = comp + used;
      s.avail_out = chunk;
      err = deflate(&s, flush);
      if (err == Z_STREAM_ERROR) fail("deflate", err);
      used += chunk - s.avail_out;
    } while (s.avail_out == 0);
  } while (pos < n);
  if (err != Z_STREAM_END) fail("deflate end", err);
  deflateEnd(&s);

  memset(&s, 0, sizeof s);
  if ((err = inflateInit2(&s, wbits)) != Z_OK) fail("inflateInit2", err);
  size_t got = 0;
  s.next_in = comp;
  s.avail_in = 0;
  do {
    size_t left = used - (size_t)(s.next_in - comp);
    s.avail_in = (uInt)(left < chunk ? left : chunk);
    do {
      s.next_out = back + got;
      s.avail_out = (uInt)(n + 1 - got < chunk ? n + 1 - got : chunk);
      err = inflate(&s, Z_NO_FLUSH);
      if (err != Z_OK && err != Z_STREAM_END && err != Z_BUF_ERROR) fail("inflate", err);
      got = (size_t)(s.next_out - back);
    } while (s.avail_out == 0 && err != Z_STREAM_END);
  } while (err != Z_STREAM_END);
  inflateEnd(&s);
  printf("  stream level=%d wbits=%d strategy=%d chunk=%u: %zu -> %zu bytes, crc %08lx, %s\n", level, wbits,
         strategy, chunk, n, used, crc32(0, comp, (uInt)used), got == n && !memcmp(in, back, n) ? "ok" : "MISMATCH");
  free(comp);
  free(back);
}

static void gzfile(const unsigned char *in, size_t n) {
  gzFile f = gzopen("roundtrip.gz", "wb9");
  if (!f) fail("gzopen w", 0);
  gzprintf(f, "header %d %s %.3f\n", 42, "zlib", 2.5);
  if (gzwrite(f, in, (unsigned)n) != (int)n) fail("gzwrite", 0);
  gzputs(f, "\ntrailer line\n");
  gzclose(f);
  FILE *raw = fopen("roundtrip.gz", "rb");
  fseek(raw, 0, SEEK_END);
  long size = ftell(raw);
  fclose(raw);
  f = gzopen("roundtrip.gz", "rb");
  char line[100];
  gzgets(f, line, sizeof line);
  printf("  gz file: %ld bytes, first line: %s", size, line);
  unsigned char *back = malloc(n);
  int got = gzread(f, back, (unsigned)n);
  printf("  gzread %d bytes, %s, adler %08lx\n", got, got == (int)n && !memcmp(in, back, n) ? "ok" : "MISMATCH",
         adler32(1, back, (uInt)n));
  gzseek(f, 7, SEEK_SET);
  gzgets(f, line, sizeof line);
  printf("  after gzseek(7): %s", line);
  gzclose(f);
  free(back);
  remove("roundtrip.gz");
}

int main(void) {
  printf("zlib %s\n", zlibVersion());
  static const char *kinds[] = {"text", "random", "runs"};
  size_t n = 200000;
  unsigned char *in = malloc(n), *comp = malloc(compressBound(n)), *back = malloc(n);
  for (int k = 0; k < 3; k++) {
    fill(in, n, k);
    printf("%s: crc32 %08lx adler32 %08lx\n", kinds[k], crc32(0, in, (uInt)n), adler32(1, in, (uInt)n));
    for (int level = 0; level <= 9; level++) {
      uLongf clen = compressBound(n), blen = n;
      int err = compress2(comp, &clen, in, n, level);
      if (err != Z_OK) fail("compress2", err);
      if ((err = uncompress(back, &blen, comp, clen)) != Z_OK) fail("uncompress", err);
      printf("  level %d: %lu bytes, crc %08lx, %s\n", level, (unsigned long)clen, crc32(0, comp, (uInt)clen),
             blen == n && !memcmp(in, back, n) ? "ok" : "MISMATCH");
    }
    stream(in, n, 6, 15, Z_DEFAULT_STRATEGY, 97);
    stream(in, n, 9, -15, Z_FILTERED, 4096);
    stream(in, n, 1, 31, Z_HUFFMAN_ONLY, 1000);
    stream(in, n, 5, 9, Z_RLE, 333);
    stream(in, n, 3, 31, Z_FIXED, 65536);
    gzfile(in, n);
  }
  printf("crc32_combine %08lx\n", crc32_combine(crc32(0, in, 1000), crc32(0, in + 1000, 5000), 5000));
  free(in);
  free(comp);
  free(back);
  return 0;
}

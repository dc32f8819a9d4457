/* Loops GCC vectorises at -O2/-O3 (AdvSIMD integer, float and double arithmetic, compares, conversions,
 * by-element multiply-add): the program prints checksums, so qemu-aarch64 or a native build is its oracle. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

#define N 64
static double A[N][N], B[N][N], C[N][N];
static float fa[1024], fb[1024], f[512], g[512];
static int32_t ia[1024], ib[1024], i32[512];
static uint8_t ua[1024], ub[1024];
static int16_t sa[1024], a16[512];
static int8_t a8[512], b8[512], c8[512];
static double d[512];
static uint16_t u16[512];

static void matrices_and_reductions(void) {
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = i * 0.5 + j; B[i][j] = (i - j) * 0.25; }
  for (int i = 0; i < N; i++) for (int k = 0; k < N; k++) for (int j = 0; j < N; j++) C[i][j] += A[i][k] * B[k][j];
  double s = 0; for (int i = 0; i < N; i++) s += C[i][i];
  for (int i = 0; i < 1024; i++) { fa[i] = i * 1.5f; fb[i] = 1024 - i; ia[i] = i * 7 - 300; ib[i] = i ^ 0x55; ua[i] = i * 3; ub[i] = 255 - i; }
  float fs = 0; for (int i = 0; i < 1024; i++) fs += fa[i] * fb[i];
  int64_t is = 0; for (int i = 0; i < 1024; i++) is += (int64_t)ia[i] * ib[i];
  unsigned us = 0; for (int i = 0; i < 1024; i++) { int v = ua[i] + ub[i]; us += v > 255 ? 255 : v; }
  for (int i = 0; i < 1024; i++) sa[i] = (int16_t)(ia[i] >> 2);
  int mx = 0; for (int i = 0; i < 1024; i++) mx = ia[i] > mx ? ia[i] : mx;
  uint32_t h = 2166136261u; for (int i = 0; i < 1024; i++) { h ^= ua[i]; h *= 16777619u; }
  long ss = 0; for (int i = 0; i < 1024; i++) ss += sa[i];
  printf("%.6f %.3f %lld %u %d %u %ld\n", s, fs, (long long)is, us, mx, h, ss);
}

static void saturation_abs_conversions(void) {
  for (int i = 0; i < 512; i++) { a8[i] = i * 37; b8[i] = 100 - i; f[i] = i * 0.75f - 100; d[i] = i * 1.25; u16[i] = i * 131; }
  for (int i = 0; i < 512; i++) { int v = a8[i] + b8[i]; c8[i] = v > 127 ? 127 : v < -128 ? -128 : v; }
  for (int i = 0; i < 512; i++) a16[i] = a8[i] * b8[i];
  for (int i = 0; i < 512; i++) g[i] = f[i] < 0 ? -f[i] : f[i];
  for (int i = 0; i < 512; i++) i32[i] = (int32_t)f[i];
  for (int i = 0; i < 512; i++) d[i] = sqrt(d[i]) + (double)i32[i];
  for (int i = 0; i < 512; i++) f[i] = f[i] > g[i] ? f[i] : g[i];
  long s8 = 0, s16 = 0, s32 = 0; double sd = 0; float sf = 0; unsigned su = 0; int mn = 1 << 30;
  for (int i = 0; i < 512; i++) { s8 += c8[i]; s16 += a16[i]; s32 += i32[i]; sd += d[i]; sf += f[i]; su += u16[i] >> 3; mn = i32[i] < mn ? i32[i] : mn; }
  for (int i = 0; i < 512; i++) a8[i] = a8[i] < 0 ? -a8[i] : a8[i];
  long sa = 0; for (int i = 0; i < 512; i++) sa += a8[i];
  printf("%ld %ld %ld %.6f %.3f %u %d %ld\n", s8, s16, s32, sd, sf, su, mn, sa);
}

int main(void) {
  matrices_and_reductions();
  saturation_abs_conversions();
  return 0;
}

/* AdvSIMD floating point on edge values: FADD, FSUB, FMUL, FMLA, FMLS (vector and by element) on .2d, .4s and
 * .2s, and scalar FMADD, FMUL, FSUB and FSQRT, over operands that are exact, inexact, zero, near the smallest
 * normal, huge, infinite and NaN. Each operation runs with FPSR cleared before it and again with IXC already
 * set, and the program prints the result bits and FPSR: qemu-aarch64 is its oracle (AArch64 assembly
 * throughout: no native build). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef VERBOSE
#define VERBOSE 0
#endif

typedef struct { uint64_t lo, hi; } q128;

static uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static void set_fpsr(uint64_t v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }

#define OP3(name, insn)                                                                     \
  static q128 name(q128 d, q128 n, q128 m) {                                                \
    __asm__ volatile("ldr q0, [%0]\n ldr q1, [%1]\n ldr q2, [%2]\n" insn "\n str q0, [%0]" \
                     : : "r"(&d), "r"(&n), "r"(&m) : "v0", "v1", "v2", "memory");          \
    return d;                                                                               \
  }
OP3(fadd2d, "fadd v0.2d, v1.2d, v2.2d")
OP3(fsub2d, "fsub v0.2d, v1.2d, v2.2d")
OP3(fmul2d, "fmul v0.2d, v1.2d, v2.2d")
OP3(fmla2d, "fmla v0.2d, v1.2d, v2.2d")
OP3(fmls2d, "fmls v0.2d, v1.2d, v2.2d")
OP3(fmla2de, "fmla v0.2d, v1.2d, v2.d[1]")
OP3(fmul2de, "fmul v0.2d, v1.2d, v2.d[0]")
OP3(fadd4s, "fadd v0.4s, v1.4s, v2.4s")
OP3(fsub4s, "fsub v0.4s, v1.4s, v2.4s")
OP3(fmul4s, "fmul v0.4s, v1.4s, v2.4s")
OP3(fmla4s, "fmla v0.4s, v1.4s, v2.4s")
OP3(fmls4s, "fmls v0.4s, v1.4s, v2.4s")
OP3(fmla4se, "fmla v0.4s, v1.4s, v2.s[3]")
OP3(fadd2s, "fadd v0.2s, v1.2s, v2.2s")
OP3(fmla2s, "fmla v0.2s, v1.2s, v2.2s")
OP3(fmul2s, "fmul v0.2s, v1.2s, v2.2s")
OP3(fmaddd, "fmadd d0, d1, d2, d0")
OP3(fmuld, "fmul d0, d1, d2")
OP3(fsubd, "fsub d0, d1, d2")
OP3(fmadds, "fmadd s0, s1, s2, s0")
OP3(fmuls, "fmul s0, s1, s2")
OP3(fsqrtd, "fsqrt d0, d1")
OP3(fsqrts, "fsqrt s0, s1")
OP3(fsqrt2d, "fsqrt v0.2d, v1.2d")

static const double D[] = {
  0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1.0 / 3.0, -2.75, 1e-300, -1e-300, 0x1p-1022, 0x1.0000000000001p-1022,
  0x1p-1074, 0x1.fffffffffffffp-1023, 1e300, -1e300, 0x1.fffffffffffffp1023, 1.0 + 0x1p-52, 1.0 - 0x1p-53,
  0x1p-511, 0x1p-512, 0x1.8p-520, 1e-160, 1e160, 6.0, -6.0, 0x1p+30 + 1,
};
static const float F[] = {
  0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 3.0f, 1.0f / 3.0f, -2.75f, 1e-30f, -1e-30f, 0x1p-126f, 0x1.000002p-126f,
  0x1p-149f, 1e30f, 0x1.fffffep127f, 1.0f + 0x1p-23f, 0x1p-63f, 0x1p-64f, 1e-20f, 1e20f, 6.0f, -6.0f, 4097.0f,
};

static uint64_t dbits(double x) { uint64_t v; memcpy(&v, &x, 8); return v; }
static uint32_t fbits(float x) { uint32_t v; memcpy(&v, &x, 4); return v; }
static const uint64_t QNAN = 0x7ff8000000000123ull, SNAN = 0x7ff0000000000456ull, INF = 0x7ff0000000000000ull;

static uint64_t hash = 1469598103934665603ull;
static void mix(uint64_t v) { for (int i = 0; i < 8; i++) { hash ^= (v >> (i * 8)) & 0xff; hash *= 1099511628211ull; } }

typedef q128 (*op3)(q128, q128, q128);

/* Runs op with IXC clear and then set; prints lines for the first few, hashes the rest. */
static int lines = 0;
static void run(const char *name, op3 op, q128 d, q128 n, q128 m) {
  for (int ixc = 0; ixc < 2; ixc++) {
    set_fpsr(ixc ? 0x10 : 0);
    q128 r = op(d, n, m);
    uint64_t fpsr = get_fpsr();
    mix(r.lo); mix(r.hi); mix(fpsr);
    if (VERBOSE || (lines < 400 && (lines++ % 7 == 0 || fpsr & 0xf)))
      printf("%-8s %016llx %016llx %016llx %016llx -> %016llx %016llx fpsr %02llx\n", name, (unsigned long long)n.lo,
             (unsigned long long)m.lo, (unsigned long long)n.hi, (unsigned long long)d.lo, (unsigned long long)r.lo,
             (unsigned long long)r.hi, (unsigned long long)fpsr);
  }
}

int main(void) {
  int nd = sizeof D / sizeof D[0], nf = sizeof F / sizeof F[0];
  uint64_t dv[64]; int ndv = 0;
  for (int i = 0; i < nd; i++) dv[ndv++] = dbits(D[i]);
  dv[ndv++] = QNAN; dv[ndv++] = SNAN; dv[ndv++] = INF; dv[ndv++] = INF | (1ull << 63);
  uint32_t fv[64]; int nfv = 0;
  for (int i = 0; i < nf; i++) fv[nfv++] = fbits(F[i]);
  fv[nfv++] = 0x7fc00011u; fv[nfv++] = 0x7f800022u; fv[nfv++] = 0x7f800000u;

  op3 dops[] = {fadd2d, fsub2d, fmul2d, fmla2d, fmls2d, fmla2de, fmul2de, fmaddd, fmuld, fsubd, fsqrtd, fsqrt2d};
  const char *dnames[] = {"fadd2d", "fsub2d", "fmul2d", "fmla2d", "fmls2d", "fmla2de", "fmul2de", "fmaddd", "fmuld", "fsubd", "fsqrtd", "fsqrt2d"};
  for (int o = 0; o < 12; o++)
    for (int i = 0; i < ndv; i++)
      for (int j = 0; j < ndv; j++) {
        /* lane 1 pairs neighbours so each lane sees different values; the addend walks the table too */
        q128 n = {dv[i], dv[(i + 1) % ndv]}, m = {dv[j], dv[(j + 3) % ndv]}, d = {dv[(i + j) % ndv], dv[(i * 7 + j) % ndv]};
        run(dnames[o], dops[o], d, n, m);
      }
  op3 sops[] = {fadd4s, fsub4s, fmul4s, fmla4s, fmls4s, fmla4se, fadd2s, fmla2s, fmul2s, fmadds, fmuls, fsqrts};
  const char *snames[] = {"fadd4s", "fsub4s", "fmul4s", "fmla4s", "fmls4s", "fmla4se", "fadd2s", "fmla2s", "fmul2s", "fmadds", "fmuls", "fsqrts"};
  for (int o = 0; o < 12; o++)
    for (int i = 0; i < nfv; i++)
      for (int j = 0; j < nfv; j++) {
        uint64_t a = fv[i] | (uint64_t)fv[(i + 2) % nfv] << 32, b = fv[j] | (uint64_t)fv[(j + 5) % nfv] << 32;
        uint64_t c = fv[(i + j) % nfv] | (uint64_t)fv[(i * 3 + j) % nfv] << 32;
        q128 n = {a, b ^ 0x8000000000000000ull}, m = {b, a}, d = {c, c ^ 0x80000000u};
        run(snames[o], sops[o], d, n, m);
      }
  printf("hash %016llx\n", (unsigned long long)hash);
  return 0;
}

// Jump tables that code discovery must recognise (translator/discover/discover.ts, jumpTable()), built by GCC -O2:
//  (a) a bytecode loop whose big switch has so many live values that GCC keeps the table address in a stack slot
//      (`ldr x0, [sp, #N]; ldrh w0, [x0, w1, uxtw #1]; adr; add; br`), as SQLite's sqlite3VdbeExec does;
//  (b) a computed-goto interpreter (labels as values: `goto *tab[op]`), a table of absolute addresses with no
//      bound (`ldr x2, [x21, x0, lsl #3]; br x2`), as Lua's luaV_execute does.
// Prints checksums: the same on every machine (integer arithmetic only).
#include <stdint.h>
#include <stdio.h>

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

// Opaque to the optimiser: keeps calls (and so callee-saved registers and spills) inside the loop.
__attribute__((noinline)) static uint64_t mix(uint64_t a, uint64_t b) {
  return (a ^ (b >> 3)) * 0x100000001b3u + b;
}

#define NOPS 64

// (a) Twenty-six accumulators live across the loop and calls in the cases: the table address, hoisted out of the
// loop, does not get a register of its own.
__attribute__((noinline)) static uint64_t vm_switch(const unsigned char *code, int n, uint64_t seed) {
  uint64_t v0 = seed * 3u + (seed >> 1), v1 = seed * 5u + (seed >> 2), v2 = seed * 7u + (seed >> 3), v3 = seed * 9u + (seed >> 4), v4 = seed * 11u + (seed >> 5), v5 = seed * 13u + (seed >> 6), v6 = seed * 15u + (seed >> 7), v7 = seed * 17u + (seed >> 8), v8 = seed * 19u + (seed >> 9), v9 = seed * 21u + (seed >> 10), v10 = seed * 23u + (seed >> 11), v11 = seed * 25u + (seed >> 12), v12 = seed * 27u + (seed >> 13), v13 = seed * 29u + (seed >> 1), v14 = seed * 31u + (seed >> 2), v15 = seed * 33u + (seed >> 3), v16 = seed * 35u + (seed >> 4), v17 = seed * 37u + (seed >> 5), v18 = seed * 39u + (seed >> 6), v19 = seed * 41u + (seed >> 7), v20 = seed * 43u + (seed >> 8), v21 = seed * 45u + (seed >> 9), v22 = seed * 47u + (seed >> 10), v23 = seed * 49u + (seed >> 11), v24 = seed * 51u + (seed >> 12), v25 = seed * 53u + (seed >> 13);
  for (int pc = 0; pc < n; pc++) {
    // Work on every value in every iteration, around a call: all of them are hot and live across it.
    v0 += v1 >> 1;
    v1 += v2 >> 2;
    v2 += v3 >> 3;
    v3 += v4 >> 4;
    v4 += v5 >> 5;
    v5 += v6 >> 6;
    v6 += v7 >> 7;
    v7 += v8 >> 1;
    v8 += v9 >> 2;
    v9 += v10 >> 3;
    v10 += v11 >> 4;
    v11 += v12 >> 5;
    v12 += v13 >> 6;
    v13 += v14 >> 7;
    v14 += v15 >> 1;
    v15 += v16 >> 2;
    v16 += v17 >> 3;
    v17 += v18 >> 4;
    v18 += v19 >> 5;
    v19 += v20 >> 6;
    v20 += v21 >> 7;
    v21 += v22 >> 1;
    v22 += v23 >> 2;
    v23 += v24 >> 3;
    v24 += v25 >> 4;
    v25 = mix(v25, v0 + pc);
    switch (code[pc]) {
    case 0: v0 += v3; break;
    case 1: v7 ^= v14 << 1; break;
    case 2: v14 = mix(v14, v25); break;
    case 3: v21 -= v10 ^ v16; break;
    case 4: v2 += v21 * 3 + v21; break;
    case 5: v9 = mix(v6, v0 + v9); break;
    case 6: v16 += v17; break;
    case 7: v23 ^= v2 << 1; break;
    case 8: v4 = mix(v4, v13); break;
    case 9: v11 -= v24 ^ v20; break;
    case 10: v18 += v9 * 3 + v25; break;
    case 11: v25 = mix(v20, v4 + v25); break;
    case 12: v6 += v5; break;
    case 13: v13 ^= v16 << 1; break;
    case 14: v20 = mix(v20, v1); break;
    case 15: v1 -= v12 ^ v24; break;
    case 16: v8 += v23 * 3 + v3; break;
    case 17: v15 = mix(v8, v8 + v15); break;
    case 18: v22 += v19; break;
    case 19: v3 ^= v4 << 1; break;
    case 20: v10 = mix(v10, v15); break;
    case 21: v17 -= v0 ^ v2; break;
    case 22: v24 += v11 * 3 + v7; break;
    case 23: v5 = mix(v22, v12 + v5); break;
    case 24: v12 += v7; break;
    case 25: v19 ^= v18 << 1; break;
    case 26: v0 = mix(v0, v3); break;
    case 27: v7 -= v14 ^ v6; break;
    case 28: v14 += v25 * 3 + v11; break;
    case 29: v21 = mix(v10, v16 + v21); break;
    case 30: v2 += v21; break;
    case 31: v9 ^= v6 << 1; break;
    case 32: v16 = mix(v16, v17); break;
    case 33: v23 -= v2 ^ v10; break;
    case 34: v4 += v13 * 3 + v15; break;
    case 35: v11 = mix(v24, v20 + v11); break;
    case 36: v18 += v9; break;
    case 37: v25 ^= v20 << 1; break;
    case 38: v6 = mix(v6, v5); break;
    case 39: v13 -= v16 ^ v14; break;
    case 40: v20 += v1 * 3 + v19; break;
    case 41: v1 = mix(v12, v24 + v1); break;
    case 42: v8 += v23; break;
    case 43: v15 ^= v8 << 1; break;
    case 44: v22 = mix(v22, v19); break;
    case 45: v3 -= v4 ^ v18; break;
    case 46: v10 += v15 * 3 + v23; break;
    case 47: v17 = mix(v0, v2 + v17); break;
    case 48: v24 += v11; break;
    case 49: v5 ^= v22 << 1; break;
    case 50: v12 = mix(v12, v7); break;
    case 51: v19 -= v18 ^ v22; break;
    case 52: v0 += v3 * 3 + v1; break;
    case 53: v7 = mix(v14, v6 + v7); break;
    case 54: v14 += v25; break;
    case 55: v21 ^= v10 << 1; break;
    case 56: v2 = mix(v2, v21); break;
    case 57: v9 -= v6 ^ v0; break;
    case 58: v16 += v17 * 3 + v5; break;
    case 59: v23 = mix(v2, v10 + v23); break;
    default: v25 = mix(v25, v0 ^ v13); break;
    }
  }
  return (v0 << 0) ^ (v1 << 1) ^ (v2 << 2) ^ (v3 << 3) ^ (v4 << 4) ^ (v5 << 0) ^ (v6 << 1) ^ (v7 << 2) ^ (v8 << 3) ^ (v9 << 4) ^ (v10 << 0) ^ (v11 << 1) ^ (v12 << 2) ^ (v13 << 3) ^ (v14 << 4) ^ (v15 << 0) ^ (v16 << 1) ^ (v17 << 2) ^ (v18 << 3) ^ (v19 << 4) ^ (v20 << 0) ^ (v21 << 1) ^ (v22 << 2) ^ (v23 << 3) ^ (v24 << 4) ^ (v25 << 0);
}

// (b) A stack machine dispatched by computed goto: each handler ends in its own `goto *tab[*ip++]`.
__attribute__((noinline)) static uint64_t vm_goto(const unsigned char *code, int n, uint64_t seed) {
  static void *const tab[] = {&&op_push, &&op_add, &&op_sub, &&op_mul, &&op_xor, &&op_dup, &&op_swap, &&op_rot,
                              &&op_shl, &&op_shr, &&op_mix, &&op_inc, &&op_dec, &&op_neg, &&op_not, &&op_end};
  uint64_t st[64];
  int sp = 4;
  st[0] = seed, st[1] = seed >> 7, st[2] = seed * 3, st[3] = ~seed;
  const unsigned char *ip = code;
  const unsigned char *const end = code + n;
  uint64_t steps = 0;
#define NEXT                                                                                                           \
  do {                                                                                                                 \
    steps++;                                                                                                           \
    if (ip == end) goto op_end;                                                                                        \
    goto *tab[*ip++ & 15];                                                                                             \
  } while (0)
  NEXT;
op_push:
  if (sp < 60) st[sp++] = steps * 0x9e3779b9u;
  NEXT;
op_add:
  st[sp - 2] += st[sp - 1];
  if (sp > 3) sp--;
  NEXT;
op_sub:
  st[sp - 2] -= st[sp - 1];
  if (sp > 3) sp--;
  NEXT;
op_mul:
  st[sp - 2] *= st[sp - 1] | 1;
  if (sp > 3) sp--;
  NEXT;
op_xor:
  st[sp - 2] ^= st[sp - 1];
  if (sp > 3) sp--;
  NEXT;
op_dup:
  if (sp < 60) st[sp] = st[sp - 1], sp++;
  NEXT;
op_swap: {
  uint64_t t = st[sp - 1];
  st[sp - 1] = st[sp - 2];
  st[sp - 2] = t;
  NEXT;
}
op_rot: {
  uint64_t t = st[sp - 3];
  st[sp - 3] = st[sp - 2];
  st[sp - 2] = st[sp - 1];
  st[sp - 1] = t;
  NEXT;
}
op_shl:
  st[sp - 1] <<= 3;
  NEXT;
op_shr:
  st[sp - 1] >>= 5;
  NEXT;
op_mix:
  st[sp - 1] = mix(st[sp - 1], st[sp - 2]);
  NEXT;
op_inc:
  st[sp - 1]++;
  NEXT;
op_dec:
  st[sp - 1]--;
  NEXT;
op_neg:
  st[sp - 1] = -st[sp - 1];
  NEXT;
op_not:
  st[sp - 1] = ~st[sp - 1];
  NEXT;
op_end : {
  uint64_t r = steps;
  for (int x = 0; x < sp; x++) r = r * 31 + st[x];
  return r;
}
#undef NEXT
}

int main(void) {
  static unsigned char code[2048];
  uint64_t sum = 0;
  for (int round = 0; round < 100; round++) {
    for (int x = 0; x < (int)sizeof code; x++) code[x] = (unsigned char)(next() % NOPS);
    uint64_t s = vm_switch(code, sizeof code, next());
    uint64_t t = vm_goto(code, sizeof code, next());
    sum = sum * 1000003 + (s ^ (t << 1));
    if (round % 25 == 0) printf("round %d: switch %016llx goto %016llx\n", round, (unsigned long long)s, (unsigned long long)t);
  }
  printf("checksum %016llx\n", (unsigned long long)sum);
  return 0;
}

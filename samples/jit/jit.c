/* Code written at run time: a tiny JIT emits AArch64 instructions into an executable mapping, makes them
   visible with __builtin___clear_cache (DC CVAU + IC IVAU), runs them, then rewrites them in place and runs the
   new code. A translator must notice the change (IC IVAU) and never run the stale translation. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

typedef uint32_t (*fn)(uint32_t);

static void emit(uint32_t *code, uint32_t add, uint32_t shift) {
  code[0] = 0x11000000u | (add << 10);         /* add w0, w0, #add */
  code[1] = 0x53000000u | ((32 - shift) % 32) << 16 | (31 - shift) << 10; /* lsl w0, w0, #shift (ubfm) */
  code[2] = 0xd65f03c0u;                       /* ret */
  __builtin___clear_cache((char *)code, (char *)(code + 3));
}

int main(void) {
  uint32_t *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  for (uint32_t k = 1; k <= 3; k++) {
    emit(code, k, k);
    uint32_t s = 1;
    for (int i = 0; i < 1000; i++) s = ((fn)code)(s) ^ (uint32_t)i;
    printf("jit round %u: %u\n", k, s);
  }
  /* The same mapping made read-only and executable, as W^X JITs do. */
  emit(code, 7, 0);
  if (mprotect(code, 4096, PROT_READ | PROT_EXEC) != 0) {
    perror("mprotect");
    return 1;
  }
  printf("after mprotect: %u\n", ((fn)code)(35));
  return 0;
}

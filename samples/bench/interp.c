/* A switch-dispatch bytecode interpreter loop (the shape of many language VMs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, POP, XOR, SHR, HALT };

static uint32_t run(const uint8_t *code, uint32_t arg) {
  uint32_t stack[64];
  int sp = 0;
  uint32_t pc = 0;
  stack[sp++] = arg;
  stack[sp++] = 7;
  for (;;) {
    switch (code[pc++]) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case SWAP: { uint32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
      case JNZ: { uint8_t to = code[pc++]; if (stack[sp - 1]) pc = to; break; }
      case DEC: stack[sp - 1]--; break;
      case POP: sp--; break;
      case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case SHR: stack[sp - 1] >>= 1; break;
      case HALT: return stack[sp - 1];
    }
  }
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  /* acc, n on the stack: loop n times: acc = (acc * 3 + n) ^ (acc >> 1) */
  static const uint8_t prog[] = {
    SWAP,                 /* n acc */
    /* 1: */ SWAP, PUSH, 3, MUL, SWAP, DUP, /* acc*3 n n */
    PUSH, 0, ADD,         /* acc*3 n n */
    SWAP, POP,            /* acc*3 n  -- keep n */
    SWAP, /* n acc*3 */ PUSH, 1, ADD, /* n acc' */
    DUP, SHR, XOR,        /* n acc'' */
    SWAP, DEC, JNZ, 1,    /* acc n-1 -> loop */
    POP, HALT,
  };
  uint32_t sum = 0;
  for (int r = 0; r < scale; r++) sum += run(prog, 100000u + (uint32_t)r);
  printf("interp %u\n", sum);
  return 0;
}

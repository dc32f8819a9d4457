/* Integer and bit manipulation: bitwise CRC-32 over a generated buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  static uint8_t buf[1 << 16];
  uint32_t x = 12345;
  for (uint32_t i = 0; i < sizeof buf; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (uint8_t)(x >> 16);
  }
  uint32_t crc = 0;
  for (int r = 0; r < scale; r++) crc = crc32_bitwise(buf, sizeof buf, crc);
  printf("crc32 %08x\n", crc);
  return 0;
}

/* Double-precision floating point: dense matrix multiply. */
#include <stdio.h>
#include <stdlib.h>

#define N 96
static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 10;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 8.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 4.0;
    }
  double check = 0;
  for (int r = 0; r < scale; r++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    check += c[r % N][(r * 7) % N];
    a[r % N][r % N] += 0.5;
  }
  printf("matmul %.6f\n", check);
  return 0;
}

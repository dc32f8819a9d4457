/* The default sample: greets, then shows what the kernel passed in (argv, a variable of envp). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("Hello from Levitate!\n");
  for (int i = 1; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  const char *home = getenv("HOME");
  printf("HOME is %s\n", home ? home : "(unset)");
  return argc > 1 ? argc - 1 : 0;
}

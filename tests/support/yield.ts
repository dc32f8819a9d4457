// Most tests run guest programs with spawnSync, which blocks the worker's event loop; a file of such tests
// that runs longer than vitest's 60 s RPC timeout would never let the worker read the runner's replies, and
// vitest reports "Timeout calling onTaskUpdate". Letting the loop turn after each test keeps the RPC alive.
import { afterEach } from 'vitest';

afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
});

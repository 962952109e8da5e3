// Step logging for the local stack: one line per step, with its duration.
export function step<T>(label: string, work: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
  const started = performance.now();
  process.stdout.write(`• ${label}…\n`);
  return work().then(
    (result) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const described = describe?.(result);
      const detail = described ? ` ${described}` : '';
      process.stdout.write(`  ✓ ${label}${detail} (${seconds} s)\n`);
      return result;
    },
    (error: unknown) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`  ✗ ${label} failed (${seconds} s)\n`);
      throw error;
    },
  );
}

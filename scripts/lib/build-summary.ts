// The reason an Astro build failed, in a few lines: the data module's own message (CMS down, token
// rejected, invalid content…) without Astro's banner and stack trace.
export function buildFailureSummary(output: string, maxLines = 12): string {
  const lines = output.split(/\r?\n/);
  const start = lines.findLastIndex((line) => line.includes('generating static routes'));
  const picked: string[] = [];
  for (const line of start >= 0 ? lines.slice(start + 1) : lines) {
    if (/^\s*(Stack trace:|at\s)/.test(line)) break;
    // Astro's own progress lines (timestamps, the page tree, "(+1.2s)" timings) are not the reason.
    if (/^\d\d:\d\d:\d\d\s/.test(line) || /[├└]─|^\s*\(\+[\d.]+m?s\)\s*$/.test(line) || line.trim() === '') continue;
    picked.push(line.replace(/\s+$/, ''));
    if (picked.length >= maxLines) break;
  }
  const text = picked.join('\n').trim();
  return text || lines.filter((line) => line.trim()).slice(-maxLines).join('\n');
}

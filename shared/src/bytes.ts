// Sizes in messages people read: the CMS's upload limits and the site build's image limits say "50 MB" the same
// way, from one helper.

/** 52428800 → "50 MB", 1536 → "1.5 KB", 5368709120 → "5 GB": a size as a person reads it. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

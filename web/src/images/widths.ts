// Which widths a <picture> offers in its srcset (src/images/picture.ts). Pure, so it is unit-tested.

/** The requested widths narrower than the original, plus the original's own width when the layout could use it. */
export function candidateWidths(requested: readonly number[], originalWidth: number): number[] {
  const widths = requested.filter((width) => width < originalWidth);
  return [...new Set([...widths, Math.min(originalWidth, Math.max(...requested))])].sort((a, b) => a - b);
}

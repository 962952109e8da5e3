// Dates as the site shows them, the same wherever the build runs.

/** "12 March 2025", in UTC so a build gives the same text wherever it runs. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}

/** The latest of some ISO dates, or null for none. */
export function latestDate(dates: readonly string[]): string | null {
  return dates.reduce<string | null>((max, date) => (max === null || Date.parse(date) > Date.parse(max) ? date : max), null);
}

// What a failure's message may show in /status and the log. The messages come from many places (the site
// build, the CMS client, an image host, GitHub), and some quote a URL an editor or an operator wrote: one
// with credentials (`https://user:secret@host/…`) or a signed query (`?X-Amz-Signature=…`). They are cut
// here, once, for every message the service keeps, whatever wrote it; and a message is never longer than a
// person reads (a build's log has its own place: the service's output).

const MAX_LENGTH = 4000;

/** `message` without URL credentials or query strings, at most MAX_LENGTH characters. */
export function statusText(message: string): string {
  const cut = message
    // scheme://user:password@host → scheme://***@host
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    // …/path?query → …/path?… (for URLs only: a question in prose stays; the punctuation after a URL too)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]+)\?[^\s#"'`)]*?(?=[:.,;]?(?:[\s"'`)]|$))/gi, '$1?…');
  return cut.length > MAX_LENGTH ? `${cut.slice(0, MAX_LENGTH)}…` : cut;
}

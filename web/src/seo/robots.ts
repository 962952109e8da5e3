// robots.txt: everything may be crawled (pages that must not be indexed say so with a robots meta tag, which
// a crawler can only read when it may fetch the page), and where the sitemap is.
export function robotsTxt(siteUrl: URL | string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('/sitemap.xml', siteUrl).href}\n`;
}

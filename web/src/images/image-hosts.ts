// Which hosts the build may fetch a rich-text image from. A rich-text image's URL is whatever the entry's JSON
// says, and anyone who can save an entry can write it: without a rule, the build (inside the production
// network) would fetch any address an editor typed, the compose network's services or a cloud metadata
// address included. So only the CMS itself (its `/uploads/…`, at CMS_URL or PUBLIC_CMS_URL) and the hosts the
// operator lists in IMAGE_HOSTS (a bucket, its CDN) are fetched; anything else fails the build by name.
// Media fields (a cover, a photo) are not editors' text: the CMS's upload provider writes their URLs.

/** IMAGE_HOSTS as the settings reader checks it: host names (with a port when it is not the default), comma-separated. */
export const IMAGE_HOSTS_PATTERN = /^\s*[a-z0-9.-]+(:\d{1,5})?\s*(,\s*[a-z0-9.-]+(:\d{1,5})?\s*)*$/i;

/** The hosts of IMAGE_HOSTS, lower case, without blanks; none when unset. */
export function parseImageHosts(raw: string | null | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * Whether the build may fetch `url` (absolute) for a rich-text image: an http(s) URL on the CMS's origin
 * (`cmsUrls`: CMS_URL, PUBLIC_CMS_URL) or on a host of `hosts` (`media.example.com` matches any port of that
 * host, `media.example.com:9000` that port only).
 */
export function allowsImageUrl(url: URL, cmsUrls: readonly string[], hosts: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (cmsUrls.some((cms) => URL.canParse(cms) && new URL(cms).origin === url.origin)) return true;
  return hosts.some((host) => (host.includes(':') ? url.host === host : url.hostname === host));
}

// A tiny client for Strapi's admin API: what an editor's browser sends when they edit and publish in the
// Content Manager (the same endpoints as tests/support/editor.ts). For scripts such as bench-publish.ts.

const ARTICLES = '/content-manager/collection-types/api::article.article';
const SYSTEM_FIELDS = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations', 'status'];

export class CmsAdmin {
  readonly url: string;
  private readonly email: string;
  private readonly password: string;
  private jwt: string | undefined;

  constructor(url: string, credentials: { email: string; password: string }) {
    this.url = url.replace(/\/+$/, '');
    this.email = credentials.email;
    this.password = credentials.password;
  }

  /** Logs in once (POST /admin/login), then sends `method pathAndQuery` with the admin JWT; throws on HTTP ≥ 400. */
  async request<T = any>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    if (!this.jwt) {
      const login = await this.send('POST', '/admin/login', { email: this.email, password: this.password });
      this.jwt = login.data?.token;
      if (!this.jwt) throw new Error(`Admin login at ${this.url} returned no token.`);
    }
    return this.send(method, pathAndQuery, body, this.jwt);
  }

  /** The article with this slug (its draft, as the Content Manager shows it). */
  async findArticle(slug: string): Promise<{ documentId: string; title: string } & Record<string, any>> {
    const found = await this.request('GET', `${ARTICLES}?filters[slug][$eq]=${encodeURIComponent(slug)}`);
    const article = found.results?.[0];
    if (!article) throw new Error(`The CMS has no article with slug "${slug}".`);
    return article;
  }

  /** The form the editor sees: the article's current draft, without system fields. */
  async articleForm(documentId: string): Promise<Record<string, any>> {
    const current = await this.request('GET', `${ARTICLES}/${documentId}`);
    return withoutSystemFields(current.data);
  }

  /** Publish with `form` (the editor's changed form): Strapi saves the draft and publishes it in one request. */
  async publishArticle(documentId: string, form: Record<string, any>): Promise<void> {
    await this.request('POST', `${ARTICLES}/${documentId}/actions/publish`, form);
  }

  private async send(method: string, pathAndQuery: string, body?: unknown, jwt?: string): Promise<any> {
    const response = await fetch(`${this.url}${pathAndQuery}`, {
      method,
      headers: { 'content-type': 'application/json', ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    if (!response.ok) throw new Error(`${method} ${pathAndQuery} → HTTP ${response.status}: ${text.slice(0, 500)}`);
    return parsed;
  }
}

function withoutSystemFields(data: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SYSTEM_FIELDS.includes(key)));
}

// A client for Strapi's admin API: what an editor's browser sends when they edit and publish in the Content
// Manager. The one client for the scripts (bench-publish.ts) and the tests (tests/support/cms.ts gives every
// test CMS one as `cms.editor`).
import { UID } from '@agency/shared';

const ARTICLES = `/content-manager/collection-types/${UID.article}`;
/** Fields the Content Manager returns with a document but does not send back in its form. */
const SYSTEM_FIELDS = [
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
  'status',
];

/**
 * A JSON body from the admin API, loosely typed on purpose: each caller reads the few fields it knows
 * (`data.documentId`, `results`), and Strapi's admin responses have no published types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminJson = any;

export type AdminArticle = { documentId: string; title: string } & Record<string, unknown>;

/** A file in Strapi's Media Library, as POST /upload answers. */
export type UploadedFile = {
  id: number;
  documentId: string;
  url: string;
  hash: string;
  mime: string;
  width: number | null;
  height: number | null;
};

export class CmsAdmin {
  readonly url: string;
  private readonly email: string;
  private readonly password: string;
  private jwt: string | undefined;

  /** `jwt`: a token already issued to these credentials (one login shared by many clients), used until it is refused. */
  constructor(url: string, credentials: { email: string; password: string }, jwt?: string) {
    this.url = url.replace(/\/+$/, '');
    this.email = credentials.email;
    this.password = credentials.password;
    this.jwt = jwt;
  }

  /** Logs in once (POST /admin/login), then sends `method pathAndQuery` with the admin JWT; throws on HTTP ≥ 400. */
  async request<T = AdminJson>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    return this.send(method, pathAndQuery, body, await this.login());
  }

  /**
   * Uploads a file to the Media Library as the admin's upload dialog does (POST /upload, multipart), and
   * returns Strapi's file (id, url, hash, width, height, mime…), ready to set on a media field by id.
   */
  async upload(name: string, bytes: Uint8Array, mime: string): Promise<UploadedFile> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(bytes)], { type: mime }), name);
    const response = await fetch(`${this.url}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.login()}` },
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /upload (${name}) → HTTP ${response.status}: ${text.slice(0, 2000)}`);
    const [file] = JSON.parse(text) as UploadedFile[];
    if (!file) throw new Error(`POST /upload (${name}) answered 201 without a file.`);
    return file;
  }

  /** Logs in once (POST /admin/login) and keeps the admin JWT. */
  async login(): Promise<string> {
    if (!this.jwt) {
      const login = await this.send('POST', '/admin/login', { email: this.email, password: this.password });
      this.jwt = login.data?.token;
      if (!this.jwt) throw new Error(`Admin login at ${this.url} returned no token.`);
    }
    return this.jwt;
  }

  /** The article with this slug (its draft, as the Content Manager shows it). */
  async findArticle(slug: string): Promise<AdminArticle> {
    const found = await this.request('GET', `${ARTICLES}?filters[slug][$eq]=${encodeURIComponent(slug)}`);
    const article = found.results?.[0];
    if (!article) throw new Error(`The CMS has no article with slug "${slug}".`);
    return article;
  }

  /** The form the editor sees: the article's current draft, without system fields. */
  async articleForm(documentId: string): Promise<Record<string, unknown>> {
    const current = await this.request('GET', `${ARTICLES}/${documentId}`);
    return withoutSystemFields(current.data);
  }

  /** "Save": the draft gets `changes`; the published version stays as it was. */
  async saveDraft(documentId: string, changes: Record<string, unknown>): Promise<void> {
    await this.request('PUT', `${ARTICLES}/${documentId}`, { ...(await this.articleForm(documentId)), ...changes });
  }

  /**
   * "Publish": Strapi saves `form` as the draft and publishes it in one request. Without `form`, the current
   * draft is published as it is (fetched first; pass the form to time only the publish request).
   */
  async publish(documentId: string, form?: Record<string, unknown>): Promise<void> {
    await this.request('POST', `${ARTICLES}/${documentId}/actions/publish`, form ?? (await this.articleForm(documentId)));
  }

  /** "Unpublish": the article leaves the site; its draft stays. */
  async unpublish(documentId: string): Promise<void> {
    await this.request('POST', `${ARTICLES}/${documentId}/actions/unpublish`, {});
  }

  /** A new article (a draft, or published straight away); returns its documentId. */
  async createArticle(data: Record<string, unknown>, options: { publish: boolean }): Promise<string> {
    const created = await this.request('POST', ARTICLES, data);
    const documentId: string = created.data.documentId;
    if (options.publish) await this.publish(documentId);
    return documentId;
  }

  async deleteArticle(documentId: string): Promise<void> {
    await this.request('DELETE', `${ARTICLES}/${documentId}`);
  }

  /** An API token created in Settings → API Tokens; returns its access key (shown once). */
  async createApiToken(type: 'read-only' | 'full-access', name = `${type}-${Date.now()}`): Promise<string> {
    const created = await this.request('POST', '/admin/api-tokens', {
      name,
      type,
      lifespan: null,
      description: 'created by a script or test',
    });
    return created.data.accessKey;
  }

  private async send(method: string, pathAndQuery: string, body?: unknown, jwt?: string): Promise<AdminJson> {
    const response = await fetch(`${this.url}${pathAndQuery}`, {
      method,
      headers: { 'content-type': 'application/json', ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: AdminJson = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    if (!response.ok) throw new Error(`${method} ${pathAndQuery} → HTTP ${response.status}: ${text.slice(0, 2000)}`);
    return parsed;
  }
}

export function withoutSystemFields(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SYSTEM_FIELDS.includes(key)));
}

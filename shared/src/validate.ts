// Turns a validation failure into a message an editor can act on: which entry, which field, what is wrong.
import type { z } from 'zod';

export type ContentIssue = { field: string; message: string };

export class InvalidContentError extends Error {
  readonly entry: string;
  readonly issues: ContentIssue[];

  constructor(entry: string, issues: ContentIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.message}`).join('\n');
    super(`Invalid content in ${entry}:\n${lines}`);
    this.name = 'InvalidContentError';
    this.entry = entry;
    this.issues = issues;
  }
}

/** `['body', 2, 'heading']` → `body[2].heading` */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(entry)';
}

/**
 * Validates one entry against its schema. `entry` names it for people, e.g. `article "sales-vs-marketing"`.
 * Throws InvalidContentError listing every bad field.
 */
export function parseEntry<S extends z.ZodType>(schema: S, input: unknown, entry: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidContentError(
    entry,
    result.error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message })),
  );
}

/** A readable name for a raw article before it is validated. */
export function describeArticle(raw: unknown): string {
  const record = (raw ?? {}) as { slug?: unknown; documentId?: unknown };
  if (typeof record.slug === 'string' && record.slug) return `article "${record.slug}"`;
  if (typeof record.documentId === 'string') return `article ${record.documentId}`;
  return 'an article';
}

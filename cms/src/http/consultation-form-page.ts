// The pages the CMS answers a plain HTML consultation form with (POST /api/consultation-requests/form, the site's
// form without JavaScript): the form again with what to fix (422) or with a wait notice (429), and a refusal (403).
// Self-contained (no script, no external file: its one stylesheet is inline and allowed by its hash), accessible
// (an error summary first, focused on load, each message a link to its field; each field points at its message
// with aria-describedby and says aria-invalid), and every value the reader sent is kept and HTML-escaped.
// The field ids match the site's form (web/src/components/ConsultationForm.tsx), so a reader finds the same form.
import { createHash } from 'node:crypto';
import {
  CONSENT_FORM_VALUE,
  CONSULTATION_FIELDS,
  CONSULTATION_LIMITS,
  HONEYPOT_FIELD,
  errorSummaryHeading,
  type ConsultationErrors,
  type ConsultationField,
} from '@agency/shared';

/** The hidden field that carries the site the reader came from through a re-post from this page. */
export const SITE_FIELD = '_site';

const ID = 'consultation';

const STYLE = `
body{margin:0;font:1.05rem/1.5 system-ui,sans-serif;color:#1b1b1f;background:#f6f4ef}
main{max-width:40rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem}
form{display:grid;gap:1.1rem}
.field{display:grid;gap:.3rem}
.check{grid-template-columns:auto 1fr;align-items:start;column-gap:.6rem}
.check .error{grid-column:1/-1}
label{font-weight:600}
.optional,.hint{font-weight:400;color:#4a4740}
.hint{margin:0;font-size:.95rem}
input:not([type=checkbox]),textarea{width:100%;box-sizing:border-box;padding:.6rem .75rem;font:inherit;border:2px solid #6b675f;border-radius:2px;background:#fff;color:#1b1b1f}
input[type=checkbox]{width:1.25rem;height:1.25rem;margin:.2rem 0 0}
[aria-invalid=true]{border-color:#a4262c;box-shadow:inset 4px 0 0 #a4262c}
.error{margin:0;font-weight:600;color:#a4262c}
.summary,.notice{padding:.75rem 1rem;border:3px solid #a4262c;margin:0 0 1.5rem;background:#fff}
.notice{border-color:#1b1b1f}
.summary h2,.notice h2{font-size:1.1rem;margin:0 0 .4rem}
.summary ul{margin:0;padding-left:1.2rem}
.summary a,a{color:#1b1b1f;font-weight:600}
.summary a{color:#a4262c}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{justify-self:start;padding:.7rem 1.3rem;font:inherit;font-weight:700;color:#fff;background:#1b1b1f;border:0;border-radius:2px;cursor:pointer}
`;

/** The Content-Security-Policy of these pages: no script at all, the one inline style by hash, posts to this CMS or the site. */
export function formPagePolicy(siteOrigins: readonly string[]): string {
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    "img-src 'self'",
    // The re-post goes to this CMS, which redirects a valid request to the site's thank-you page.
    `form-action 'self' ${siteOrigins.join(' ')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Escapes text for HTML element content and double-quoted attribute values. */
function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const fieldId = (field: ConsultationField) => `${ID}-${field}`;
const errorId = (field: ConsultationField) => `${ID}-${field}-error`;

type TextFieldSpec = { field: Exclude<ConsultationField, 'consent'>; label: string; type: string; autocomplete: string; hint?: string };

const TEXT_FIELDS: TextFieldSpec[] = [
  { field: 'name', label: 'Name', type: 'text', autocomplete: 'name' },
  { field: 'email', label: 'Email', type: 'email', autocomplete: 'email' },
  { field: 'phone', label: 'Phone', type: 'tel', autocomplete: 'tel' },
  { field: 'preferredTime', label: 'Best time to reach you', type: 'text', autocomplete: 'off', hint: 'For example: weekday mornings.' },
  { field: 'message', label: 'What would you like to discuss?', type: 'textarea', autocomplete: 'off' },
];
const REQUIRED = new Set<ConsultationField>(['name', 'email', 'consent']);

/** What the reader sent, as text to show again (anything that is not text shows as empty). */
export type FormValues = Partial<Record<Exclude<ConsultationField, 'consent'>, unknown>> & { consent?: unknown };

function textField(spec: TextFieldSpec, values: FormValues, errors: ConsultationErrors): string {
  const { field } = spec;
  const value = typeof values[field] === 'string' ? (values[field] as string) : '';
  const error = errors[field];
  const hintId = `${ID}-${field}-hint`;
  const describedBy = [spec.hint ? hintId : '', error ? errorId(field) : ''].filter(Boolean).join(' ');
  const attrs = [
    `id="${fieldId(field)}"`,
    `name="${field}"`,
    `maxlength="${CONSULTATION_LIMITS[field]}"`,
    `autocomplete="${spec.autocomplete}"`,
    REQUIRED.has(field) ? 'required' : '',
    error ? 'aria-invalid="true"' : '',
    describedBy ? `aria-describedby="${describedBy}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const control =
    spec.type === 'textarea'
      ? `<textarea ${attrs} rows="4">${escapeHtml(value)}</textarea>`
      : `<input type="${spec.type}" ${attrs} value="${escapeHtml(value)}">`;
  const marker = REQUIRED.has(field) ? ' <span aria-hidden="true">*</span>' : ' <span class="optional">(optional)</span>';
  return `<div class="field">
<label for="${fieldId(field)}">${escapeHtml(spec.label)}${marker}</label>
${spec.hint ? `<p class="hint" id="${hintId}">${escapeHtml(spec.hint)}</p>\n` : ''}${control}
${error ? `<p class="error" id="${errorId(field)}">${escapeHtml(error)}</p>` : ''}
</div>`;
}

/**
 * The form again, with the reader's values: with `errors`, an error summary (focused on load) and each message
 * under its field; with `notice` (e.g. the rate limit), that notice first instead. The form has no action: it
 * posts again to the address that answered it, wherever the CMS is mounted.
 */
export function formPage(options: {
  site: string;
  values: FormValues;
  errors?: ConsultationErrors;
  notice?: { title: string; text: string };
}): string {
  const errors = options.errors ?? {};
  const invalid = CONSULTATION_FIELDS.filter((field) => errors[field]);
  const other = errors.form && invalid.length === 0 ? errors.form : null;
  let top = '';
  if (invalid.length > 0 || other) {
    const items = invalid.map((field) => `<li><a href="#${fieldId(field)}">${escapeHtml(errors[field])}</a></li>`);
    if (other) items.push(`<li>${escapeHtml(other)}</li>`);
    const heading = invalid.length > 0 ? errorSummaryHeading(invalid.length) : 'Please check the form.';
    top = `<div class="summary" id="${ID}-summary" tabindex="-1" autofocus aria-labelledby="${ID}-summary-title" data-error-summary>
<h2 id="${ID}-summary-title">${escapeHtml(heading)}</h2>
<ul>${items.join('')}</ul>
</div>`;
  } else if (options.notice) {
    top = `<div class="notice" id="${ID}-notice" tabindex="-1" autofocus aria-labelledby="${ID}-notice-title" data-form-notice>
<h2 id="${ID}-notice-title">${escapeHtml(options.notice.title)}</h2>
<p>${escapeHtml(options.notice.text)}</p>
</div>`;
  }
  const consentError = errors.consent;
  const consent = `<div class="field check">
<input type="checkbox" id="${fieldId('consent')}" name="consent" value="${CONSENT_FORM_VALUE}" required${options.values.consent === true ? ' checked' : ''}${consentError ? ` aria-invalid="true" aria-describedby="${errorId('consent')}"` : ''}>
<label for="${fieldId('consent')}">I agree to be contacted about this request by email or phone. <span aria-hidden="true">*</span></label>
${consentError ? `<p class="error" id="${errorId('consent')}">${escapeHtml(consentError)}</p>` : ''}
</div>`;
  const title = invalid.length > 0 || other ? 'Please check your consultation request' : 'Your consultation request';
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
${top}
<form method="post" novalidate aria-labelledby="${ID}-title" class="consultation-form">
<h2 id="${ID}-title">Request a consultation</h2>
<p>Fields marked <span aria-hidden="true">*</span> (an asterisk) are required.</p>
${TEXT_FIELDS.map((spec) => textField(spec, options.values, errors)).join('\n')}
${consent}
<input type="hidden" name="${SITE_FIELD}" value="${escapeHtml(options.site)}">
<div class="hp" aria-hidden="true"><label for="${ID}-${HONEYPOT_FIELD}">Leave this field empty</label><input type="text" id="${ID}-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send my request</button>
</form>
<p><a href="${escapeHtml(options.site)}/">Back to the website</a></p>`,
  );
}

/** A post that did not come from the site: refused, with a way to the site's form. */
export function refusedPage(site: string): string {
  return page(
    'Request not accepted',
    `<h1>Request not accepted</h1>
<p>This form only accepts requests sent from our website. Nothing was stored.</p>
<p><a href="${escapeHtml(site)}/#consultation">Go to the consultation form on our website</a></p>`,
  );
}

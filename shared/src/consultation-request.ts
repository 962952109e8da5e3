// A reader's request for a consultation: the one set of rules the site's form checks in the browser
// (web/src/components/ConsultationForm.tsx) and Strapi checks again (cms/src/api/consultation-request, both the
// JSON API and the plain HTML form post), so both sides say the same thing about the same field. Messages are
// written for readers.
//
// No zod here, on purpose: this module is the form island's only validation code and ships to every reader
// who scrolls to the form, so it is a table of rules (CONSULTATION_RULES) and one small function that applies
// them — a few hundred bytes instead of zod's ~25 KB gzip. It imports nothing that builds a zod schema; the
// package exports it on its own (`@agency/shared/consultation-request`) so the island does not pull in the
// content schemas either.
import { PHONE_PATTERN } from './phone.ts';

/** The CMS uses the same maxLengths (cms/src/api/consultation-request/…/schema.json); the contract test checks. */
export const CONSULTATION_LIMITS = {
  name: 100,
  email: 254,
  phone: 40,
  preferredTime: 100,
  message: 2000,
} as const;

/**
 * The honeypot: a field people never see (visually hidden, aria-hidden, out of the tab order) and bots fill.
 * A submission with anything in it is answered like a success and dropped.
 */
export const HONEYPOT_FIELD = 'website';

/** The form's fields, in the order they appear (the first invalid one gets the focus). */
export const CONSULTATION_FIELDS = ['name', 'email', 'phone', 'preferredTime', 'message', 'consent'] as const;
export type ConsultationField = (typeof CONSULTATION_FIELDS)[number];
type TextField = Exclude<ConsultationField, 'consent'>;

/** The status editors set in the admin. A new request is always `new`, whatever the client sends. */
export const CONSULTATION_STATUSES = ['new', 'contacted', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/**
 * Same shape as zod's email check (letters, digits and _'+- around dots before the @; a dotted domain ending in
 * at least two letters), which the CMS's `email` attribute also accepts.
 */
const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** How one text field is checked: trimmed, then required (or emptied to null), limited, matched. */
type TextRule = {
  required: boolean;
  /** Said when the value is missing, empty after trimming, or not text. */
  missing: string;
  max: number;
  tooLong: string;
  pattern?: { regex: RegExp; message: string };
};

/** The rules, field by field, in form order. Everything that decides whether a request is accepted is here. */
export const CONSULTATION_RULES: { readonly [F in TextField]: TextRule } & { readonly consent: { mustBe: true; message: string } } = {
  name: {
    required: true,
    missing: 'Please enter your name',
    max: CONSULTATION_LIMITS.name,
    tooLong: `Please shorten your name to at most ${CONSULTATION_LIMITS.name} characters`,
  },
  email: {
    required: true,
    missing: 'Please enter your email address',
    max: CONSULTATION_LIMITS.email,
    tooLong: `An email address has at most ${CONSULTATION_LIMITS.email} characters`,
    pattern: { regex: EMAIL_PATTERN, message: 'Please enter a valid email address, like name@example.com' },
  },
  phone: {
    required: false,
    missing: 'Please enter text here',
    max: CONSULTATION_LIMITS.phone,
    tooLong: `A phone number has at most ${CONSULTATION_LIMITS.phone} characters`,
    pattern: { regex: PHONE_PATTERN, message: 'Please enter a phone number using digits, spaces, +, - and parentheses (at least 6)' },
  },
  preferredTime: {
    required: false,
    missing: 'Please enter text here',
    max: CONSULTATION_LIMITS.preferredTime,
    tooLong: `Please shorten this to at most ${CONSULTATION_LIMITS.preferredTime} characters`,
  },
  message: {
    required: false,
    missing: 'Please enter text here',
    max: CONSULTATION_LIMITS.message,
    tooLong: `Please shorten your message to at most ${CONSULTATION_LIMITS.message} characters`,
  },
  consent: { mustBe: true, message: 'Please agree so we can contact you' },
};

/** What a reader sends: text fields as strings (optional ones may be empty, null or missing), consent as `true`. */
export type ConsultationRequestInput = {
  name: string;
  email: string;
  phone?: string | null;
  preferredTime?: string | null;
  message?: string | null;
  consent: true;
};
/** What is stored: text trimmed, empty optional fields as null. */
export type ConsultationRequest = {
  name: string;
  email: string;
  phone: string | null;
  preferredTime: string | null;
  message: string | null;
  consent: true;
};

/** Field → the first message for it. Problems not about one field (e.g. the body is not an object) go under `form`. */
export type ConsultationErrors = Partial<Record<ConsultationField | 'form', string>>;

const NOT_A_FORM = 'Please fill in the form';

/** Turns issues (`{ path, message }`) into `{ field: message }`, keeping the first message per top-level field. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ConsultationErrors {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const [first] = issue.path;
    const key = typeof first === 'string' && (CONSULTATION_FIELDS as readonly string[]).includes(first) ? first : 'form';
    out[key] ??= key === 'form' ? NOT_A_FORM : issue.message;
  }
  return out as ConsultationErrors;
}

export type ConsultationValidation = { success: true; data: ConsultationRequest } | { success: false; errors: ConsultationErrors };

/** One text field: its cleaned value, or the message saying what is wrong. */
function checkText(rule: TextRule, raw: unknown): { value: string | null } | { problem: string } {
  if (raw === undefined || raw === null) return rule.required ? { problem: rule.missing } : { value: null };
  if (typeof raw !== 'string') return { problem: rule.missing };
  const value = raw.trim();
  if (value === '') return rule.required ? { problem: rule.missing } : { value: null };
  if (value.length > rule.max) return { problem: rule.tooLong };
  if (rule.pattern && !rule.pattern.regex.test(value)) return { problem: rule.pattern.message };
  return { value };
}

/** Validates a request as the form and the CMS both do: only the known fields are kept. Never throws. */
export function validateConsultationRequest(input: unknown): ConsultationValidation {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { success: false, errors: { form: NOT_A_FORM } };
  const raw = input as Record<string, unknown>;
  const errors: ConsultationErrors = {};
  const data: Record<string, unknown> = {};
  for (const field of CONSULTATION_FIELDS) {
    if (field === 'consent') {
      if (raw.consent === CONSULTATION_RULES.consent.mustBe) data.consent = true;
      else errors.consent = CONSULTATION_RULES.consent.message;
      continue;
    }
    const result = checkText(CONSULTATION_RULES[field], raw[field]);
    if ('problem' in result) errors[field] = result.problem;
    else data[field] = result.value;
  }
  return Object.keys(errors).length > 0 ? { success: false, errors } : { success: true, data: data as ConsultationRequest };
}

/** True when the honeypot field holds anything: a bot filled the form. */
export function honeypotFilled(input: unknown): boolean {
  if (!input || typeof input !== 'object') return false;
  const value = (input as Record<string, unknown>)[HONEYPOT_FIELD];
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** The heading of the error summary, on the site's form and on the CMS's form page alike. */
export function errorSummaryHeading(count: number): string {
  return count === 1 ? 'Please correct the field marked below.' : `Please correct the ${count} fields marked below.`;
}

/** The value the consent checkbox posts when ticked (a plain HTML form sends nothing when it is not). */
export const CONSENT_FORM_VALUE = 'true';

/**
 * A plain HTML form post (application/x-www-form-urlencoded, already parsed) as the input validateConsultationRequest
 * takes: each field's text (the first, should a field be sent twice), consent `true` only when the checkbox posted
 * CONSENT_FORM_VALUE, and the honeypot. Anything else in the body is left out.
 */
export function consultationFromForm(body: unknown): Record<string, unknown> {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const out: Record<string, unknown> = {};
  for (const field of CONSULTATION_FIELDS) if (field !== 'consent' && fields[field] !== undefined) out[field] = text(fields[field]);
  out.consent = text(fields.consent) === CONSENT_FORM_VALUE;
  if (fields[HONEYPOT_FIELD] !== undefined) out[HONEYPOT_FIELD] = text(fields[HONEYPOT_FIELD]);
  return out;
}

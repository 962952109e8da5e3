// A reader's request for a consultation: the form on the site (web/src/components/ConsultationForm.tsx)
// checks it in the browser and Strapi checks it again (cms/src/api/consultation-request) with this same
// schema, so both sides say the same thing about the same field. Messages are written for readers.
import './zod-config.ts';
import { z } from 'zod';
import { PHONE_PATTERN } from './content.ts';

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

/** The status editors set in the admin. A new request is always `new`, whatever the client sends. */
export const CONSULTATION_STATUSES = ['new', 'contacted', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

const optionalText = (max: number, tooLong: string) =>
  z
    .string({ error: 'Please enter text here' })
    .trim()
    .max(max, tooLong)
    .nullish()
    .transform((value) => (value ? value : null));

export const ConsultationRequestSchema = z.object({
  name: z
    .string({ error: 'Please enter your name' })
    .trim()
    .min(1, 'Please enter your name')
    .max(CONSULTATION_LIMITS.name, `Please shorten your name to at most ${CONSULTATION_LIMITS.name} characters`),
  email: z
    .string({ error: 'Please enter your email address' })
    .trim()
    .min(1, 'Please enter your email address')
    .max(CONSULTATION_LIMITS.email, `An email address has at most ${CONSULTATION_LIMITS.email} characters`)
    .pipe(z.email({ error: 'Please enter a valid email address, like name@example.com' })),
  phone: optionalText(CONSULTATION_LIMITS.phone, `A phone number has at most ${CONSULTATION_LIMITS.phone} characters`).pipe(
    z.string().regex(PHONE_PATTERN, 'Please enter a phone number using digits, spaces, +, - and parentheses (at least 6)').nullable(),
  ),
  preferredTime: optionalText(
    CONSULTATION_LIMITS.preferredTime,
    `Please shorten this to at most ${CONSULTATION_LIMITS.preferredTime} characters`,
  ),
  message: optionalText(CONSULTATION_LIMITS.message, `Please shorten your message to at most ${CONSULTATION_LIMITS.message} characters`),
  consent: z.literal(true, { error: 'Please agree so we can contact you' }),
});
export type ConsultationRequestInput = z.input<typeof ConsultationRequestSchema>;
export type ConsultationRequest = z.output<typeof ConsultationRequestSchema>;

/** Field → the first message for it. Issues not about one field (e.g. the body is not an object) go under `form`. */
export type ConsultationErrors = Partial<Record<ConsultationField | 'form', string>>;

/** Turns zod issues into `{ field: message }`, keeping the first message per top-level field. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ConsultationErrors {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const [first] = issue.path;
    const key = typeof first === 'string' && (CONSULTATION_FIELDS as readonly string[]).includes(first) ? first : 'form';
    out[key] ??= key === 'form' ? 'Please fill in the form' : issue.message;
  }
  return out as ConsultationErrors;
}

export type ConsultationValidation = { success: true; data: ConsultationRequest } | { success: false; errors: ConsultationErrors };

/** Validates a request as the form and the CMS both do. Never throws. */
export function validateConsultationRequest(input: unknown): ConsultationValidation {
  const result = ConsultationRequestSchema.safeParse(input);
  return result.success ? { success: true, data: result.data } : { success: false, errors: fieldErrors(result.error.issues) };
}

/** True when the honeypot field holds anything: a bot filled the form. */
export function honeypotFilled(input: unknown): boolean {
  if (!input || typeof input !== 'object') return false;
  const value = (input as Record<string, unknown>)[HONEYPOT_FIELD];
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

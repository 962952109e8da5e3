// The phone-number pattern, in a module of its own without zod: the CTA's content schema (content.ts) and the
// consultation request's rules (consultation-request.ts, which runs in readers' browsers) share it, and the form's
// island must not pull in zod to get it.
export const PHONE_PATTERN = /^\+?[0-9 ()-]{6,}$/;

// The consultation request schema both the form (browser) and Strapi run: what passes, what each field says
// when it does not, and the honeypot. The CMS schema must agree with its limits and pattern.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONSULTATION_FIELDS,
  CONSULTATION_LIMITS,
  CONSULTATION_RULES,
  CONSULTATION_STATUSES,
  CONSENT_FORM_VALUE,
  HONEYPOT_FIELD,
  PHONE_PATTERN,
  consultationFromForm,
  errorSummaryHeading,
  fieldErrors,
  honeypotFilled,
  validateConsultationRequest,
} from '../src/index.ts';
// The outbox (cms/src/leads) keeps its state on the request; clients never set it (the controllers store only the rules' fields).
import { OUTBOX_ATTRIBUTES } from '../../cms/src/leads/fields.ts';

const valid = (changes: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  preferredTime: 'Weekday mornings',
  message: 'We are rebranding next spring.',
  consent: true,
  ...changes,
});
const errorsOf = (input: unknown) => {
  const result = validateConsultationRequest(input);
  return result.success ? {} : result.errors;
};

describe('validateConsultationRequest', () => {
  it('accepts a full request, trimming text', () => {
    expect(validateConsultationRequest(valid({ name: '  Ada Lovelace  ', email: ' ada@example.com ' }))).toEqual({
      success: true,
      data: valid(),
    });
  });

  it('accepts only the required fields; empty optional fields become null; unknown keys are dropped', () => {
    const result = validateConsultationRequest({
      name: 'Ada',
      email: 'ada@example.com',
      consent: true,
      phone: '',
      preferredTime: '  ',
      message: undefined,
      status: 'closed',
      [HONEYPOT_FIELD]: '',
    });
    expect(result).toEqual({
      success: true,
      data: { name: 'Ada', email: 'ada@example.com', phone: null, preferredTime: null, message: null, consent: true },
    });
  });

  it('explains every problem in words for readers, one message per field', () => {
    expect(errorsOf({})).toEqual({
      name: 'Please enter your name',
      email: 'Please enter your email address',
      consent: 'Please agree so we can contact you',
    });
    expect(errorsOf(valid({ name: '   ', email: '   ' }))).toEqual({
      name: 'Please enter your name',
      email: 'Please enter your email address',
    });
    expect(errorsOf(valid({ email: 'ada@' }))).toEqual({ email: 'Please enter a valid email address, like name@example.com' });
    expect(errorsOf(valid({ email: 'ada example.com' }))).toEqual({ email: 'Please enter a valid email address, like name@example.com' });
    expect(errorsOf(valid({ consent: false }))).toEqual({ consent: 'Please agree so we can contact you' });
    expect(errorsOf(valid({ consent: 'yes' }))).toEqual({ consent: 'Please agree so we can contact you' });
    expect(errorsOf(valid({ phone: 'call me' }))).toEqual({
      phone: 'Please enter a phone number using digits, spaces, +, - and parentheses (at least 6)',
    });
    expect(errorsOf(valid({ phone: '12345' }))).toHaveProperty('phone');
    expect(errorsOf(valid({ name: 42, message: ['x'] }))).toEqual({ name: 'Please enter your name', message: 'Please enter text here' });
    expect(errorsOf(valid({ phone: '1'.repeat(41) }))).toEqual({ phone: 'A phone number has at most 40 characters' });
  });

  it.each(['name', 'preferredTime', 'message'] as const)(
    '%s: at the limit passes, one over fails with the limit in the message',
    (field) => {
      const max = CONSULTATION_LIMITS[field];
      expect(validateConsultationRequest(valid({ [field]: 'x'.repeat(max) })).success).toBe(true);
      expect(errorsOf(valid({ [field]: 'x'.repeat(max + 1) }))[field]).toMatch(new RegExp(`at most ${max} characters`));
    },
  );

  it('limits the email address to 254 characters', () => {
    const local = 'a'.repeat(64);
    const long = `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(errorsOf(valid({ email: long })).email).toBe('An email address has at most 254 characters');
  });

  it('puts problems that are not about one field under "form"', () => {
    expect(errorsOf(null)).toEqual({ form: 'Please fill in the form' });
    expect(errorsOf('text')).toEqual({ form: 'Please fill in the form' });
    expect(errorsOf([valid()])).toEqual({ form: 'Please fill in the form' });
    expect(
      fieldErrors([
        { path: ['name'], message: 'first' },
        { path: ['name'], message: 'second' },
        { path: ['nested', 0], message: 'x' },
      ]),
    ).toEqual({ name: 'first', form: 'Please fill in the form' });
  });

  it('lists its fields in form order', () => {
    expect([...CONSULTATION_FIELDS]).toEqual(Object.keys(CONSULTATION_RULES));
  });
});

describe('errorSummaryHeading', () => {
  it('counts the fields to correct, in words for readers', () => {
    expect(errorSummaryHeading(1)).toBe('Please correct the field marked below.');
    expect(errorSummaryHeading(3)).toBe('Please correct the 3 fields marked below.');
  });
});

describe('consultationFromForm (a plain HTML form post)', () => {
  it('reads the text fields, consent only as the checkbox value, and the honeypot; drops the rest', () => {
    const body = { ...valid({ consent: CONSENT_FORM_VALUE }), website: '', extra: 'x', requestStatus: 'closed' };
    expect(consultationFromForm(body)).toEqual({ ...valid(), website: '' });
    expect(validateConsultationRequest(consultationFromForm(body))).toEqual({ success: true, data: valid() });
  });

  it('treats a missing or other consent value as not given, and a repeated field by its first value', () => {
    expect(consultationFromForm({ name: ['Ada', 'Eve'] })).toEqual({ name: 'Ada', consent: false });
    expect(consultationFromForm({ consent: 'on' }).consent).toBe(false);
    expect(consultationFromForm(null)).toEqual({ consent: false });
    expect(errorsOf(consultationFromForm({}))).toEqual({
      name: 'Please enter your name',
      email: 'Please enter your email address',
      consent: 'Please agree so we can contact you',
    });
  });
});

describe('honeypot', () => {
  it('is the "website" field, filled only by bots', () => {
    expect(HONEYPOT_FIELD).toBe('website');
    expect(honeypotFilled(valid())).toBe(false);
    expect(honeypotFilled(valid({ website: '' }))).toBe(false);
    expect(honeypotFilled(valid({ website: '   ' }))).toBe(false);
    expect(honeypotFilled(valid({ website: null }))).toBe(false);
    expect(honeypotFilled(undefined)).toBe(false);
    expect(honeypotFilled(valid({ website: 'https://spam.example' }))).toBe(true);
    expect(honeypotFilled(valid({ website: 1 }))).toBe(true);
  });
});

describe('CMS schema ↔ consultation request contract', () => {
  type Attribute = { type: string; required?: boolean; maxLength?: number; regex?: string; enum?: string[]; default?: unknown };
  const file = path.resolve(
    import.meta.dirname,
    '..',
    '..',
    'cms',
    'src',
    'api',
    'consultation-request',
    'content-types',
    'consultation-request',
    'schema.json',
  );
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { options: { draftAndPublish: boolean }; attributes: Record<string, Attribute> };
  const attrs = schema.attributes;

  it('stores exactly the form fields plus the editors’ status and the mail outbox’s state, without draft & publish', () => {
    expect(Object.keys(attrs).sort()).toEqual([...CONSULTATION_FIELDS, 'requestStatus', ...OUTBOX_ATTRIBUTES].sort());
    expect(schema.options.draftAndPublish).toBe(false);
    expect(attrs.requestStatus).toMatchObject({ type: 'enumeration', enum: [...CONSULTATION_STATUSES], default: 'new', required: true });
  });

  it('has the same limits, required fields and phone pattern', () => {
    for (const [field, max] of Object.entries(CONSULTATION_LIMITS)) expect(attrs[field]?.maxLength, field).toBe(max);
    expect(attrs.phone?.regex).toBe(PHONE_PATTERN.source);
    const required = Object.keys(attrs)
      .filter((key) => attrs[key]!.required)
      .sort();
    expect(required).toEqual(['consent', 'email', 'name', 'requestStatus']);
    expect(attrs.email?.type).toBe('email');
  });
});

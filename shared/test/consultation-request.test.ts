// The consultation request schema both the form (browser) and Strapi run: what passes, what each field says
// when it does not, and the honeypot. The CMS schema must agree with its limits and pattern.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONSULTATION_FIELDS,
  CONSULTATION_LIMITS,
  CONSULTATION_STATUSES,
  ConsultationRequestSchema,
  HONEYPOT_FIELD,
  PHONE_PATTERN,
  fieldErrors,
  honeypotFilled,
  validateConsultationRequest,
} from '../src/index.ts';

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

describe('ConsultationRequestSchema', () => {
  it('accepts a full request, trimming text', () => {
    expect(ConsultationRequestSchema.parse(valid({ name: '  Ada Lovelace  ', email: ' ada@example.com ' }))).toEqual(valid());
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
    expect(
      fieldErrors([
        { path: ['name'], message: 'first' },
        { path: ['name'], message: 'second' },
        { path: ['nested', 0], message: 'x' },
      ]),
    ).toEqual({ name: 'first', form: 'Please fill in the form' });
  });

  it('lists its fields in form order', () => {
    expect([...CONSULTATION_FIELDS]).toEqual(Object.keys(ConsultationRequestSchema.shape));
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

  it('stores exactly the form fields plus the editors’ status, without draft & publish', () => {
    expect(Object.keys(attrs).sort()).toEqual([...CONSULTATION_FIELDS, 'requestStatus'].sort());
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

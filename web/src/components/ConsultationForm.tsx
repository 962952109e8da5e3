// The consultation request form. Rendered to HTML at build time, it is a real HTML form: without JavaScript it
// posts application/x-www-form-urlencoded to the CMS (`action`), which answers 303 to the thank-you page or an
// error page that keeps the reader's values (cms/src/api/consultation-request/controllers/form.ts). As a React
// island (client:visible in ConsultationCta.astro, loaded only when the form nears the viewport) it enhances that:
// it checks the input with the same rules the CMS uses (@agency/shared/consultation-request, no zod: the island's
// own chunk stays under 8 KB gzip, `npm run bench` checks), shows an error summary and each problem next to its
// field, and posts JSON to the REST API without leaving the page. The server stays the authority.
import { useEffect, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import {
  CONSENT_FORM_VALUE,
  CONSULTATION_FIELDS,
  CONSULTATION_LIMITS,
  HONEYPOT_FIELD,
  errorSummaryHeading,
  validateConsultationRequest,
  type ConsultationErrors,
  type ConsultationField,
} from '@agency/shared/consultation-request';
import '../styles/form.css';

interface Props {
  /** `${PUBLIC_CMS_URL}/api/consultation-requests`: the JSON API the island posts to. */
  endpoint: string;
  /** `${PUBLIC_CMS_URL}/api/consultation-requests/form`: where the plain HTML form posts without JavaScript. */
  action: string;
  /** The CTA's phone number and its tel: link, offered when sending fails. */
  phone?: string | null;
  tel?: string | null;
  submitLabel?: string;
}

type Values = { name: string; email: string; phone: string; preferredTime: string; message: string; consent: boolean };
type Phase = 'idle' | 'sending' | 'sent';

const EMPTY: Values = { name: '', email: '', phone: '', preferredTime: '', message: '', consent: false };
const ID = 'consultation';
const fieldId = (field: ConsultationField) => `${ID}-${field}`;
const errorId = (field: ConsultationField) => `${ID}-${field}-error`;
const hintId = (field: ConsultationField) => `${ID}-${field}-hint`;

function retryText(retryAfter: string | null): string {
  const seconds = Number(retryAfter);
  if (!Number.isFinite(seconds) || seconds <= 0) return 'later';
  return seconds < 90 ? `in ${Math.ceil(seconds)} seconds` : `in ${Math.ceil(seconds / 60)} minutes`;
}

export default function ConsultationForm({ endpoint, action, phone = null, tel = null, submitLabel = 'Send my request' }: Props) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [honeypot, setHoneypot] = useState('');
  const [errors, setErrors] = useState<ConsultationErrors>({});
  const [phase, setPhase] = useState<Phase>('idle');
  const [status, setStatus] = useState<ReactNode>('');
  const [hydrated, setHydrated] = useState(false);
  /** Bumped on each invalid submit, so the summary takes the focus again even when the errors are the same. */
  const [summaryTurn, setSummaryTurn] = useState(0);
  const [minHeight, setMinHeight] = useState<number | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const successRef = useRef<HTMLDivElement>(null);

  // Marks the form as enhanced (the tests wait for it); without JavaScript the same form posts to `action`.
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (summaryTurn > 0) summaryRef.current?.focus();
  }, [summaryTurn]);
  useEffect(() => {
    if (phase === 'sent') successRef.current?.focus();
  }, [phase]);

  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    // A corrected field loses its message; the others keep theirs until the next submit.
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest);
  };

  const showErrors = (next: ConsultationErrors) => {
    setErrors(next);
    setStatus(CONSULTATION_FIELDS.some((field) => next[field]) ? '' : (next.form ?? 'Please check the form.'));
    setSummaryTurn((turn) => turn + 1);
  };

  const offerPhone = (before: string) =>
    tel && phone ? (
      <>
        {before} or call us on <a href={tel}>{phone}</a>.
      </>
    ) : (
      `${before}.`
    );

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase === 'sending') return;
    const checked = validateConsultationRequest(values);
    if (!checked.success) {
      showErrors(checked.errors);
      return;
    }
    setErrors({});
    setPhase('sending');
    setStatus('Sending your request…');
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ data: { ...values, [HONEYPOT_FIELD]: honeypot } }),
      });
      if (response.ok) {
        setMinHeight(formRef.current?.offsetHeight);
        setStatus('');
        setPhase('sent');
        return;
      }
      const body = (await response.json().catch(() => null)) as {
        error?: { details?: { errors?: Array<{ path?: unknown[]; message?: string }> } };
      } | null;
      setPhase('idle');
      if (response.status === 429) {
        setStatus(
          offerPhone(`You have sent several requests in a short time. Please try again ${retryText(response.headers.get('Retry-After'))}`),
        );
        return;
      }
      const details = body?.error?.details?.errors ?? [];
      if (response.status === 400 && details.length > 0) {
        const next: ConsultationErrors = {};
        for (const detail of details) {
          const field = detail.path?.[0];
          const key =
            typeof field === 'string' && (CONSULTATION_FIELDS as readonly string[]).includes(field) ? (field as ConsultationField) : 'form';
          next[key] ??= detail.message ?? 'Please check this field.';
        }
        showErrors(next);
        return;
      }
      throw new Error(`HTTP ${response.status}`);
    } catch {
      setPhase('idle');
      setStatus(offerPhone('Sorry, your request could not be sent. Please try again in a moment'));
    }
  }

  const invalid = CONSULTATION_FIELDS.filter((field) => errors[field]);
  const describedBy = (field: ConsultationField, hint = false) =>
    [hint ? hintId(field) : null, errors[field] ? errorId(field) : null].filter(Boolean).join(' ') || undefined;
  const errorText = (field: ConsultationField) =>
    errors[field] ? (
      <p className="field-error" id={errorId(field)}>
        {errors[field]}
      </p>
    ) : null;
  const label = (field: ConsultationField, text: string, required: boolean) => (
    <label htmlFor={fieldId(field)}>
      {text}
      {required ? (
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      ) : (
        <span className="optional"> (optional)</span>
      )}
    </label>
  );
  const text = (
    field: 'name' | 'email' | 'phone' | 'preferredTime',
    labelText: string,
    options: { type: string; autoComplete: string; required: boolean; hint?: string },
  ) => (
    <div className="field">
      {label(field, labelText, options.required)}
      {options.hint && (
        <p className="field-hint" id={hintId(field)}>
          {options.hint}
        </p>
      )}
      <input
        id={fieldId(field)}
        name={field}
        type={options.type}
        autoComplete={options.autoComplete}
        required={options.required}
        maxLength={CONSULTATION_LIMITS[field]}
        value={values[field]}
        onChange={(event) => set(field, event.target.value)}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={describedBy(field, Boolean(options.hint))}
      />
      {errorText(field)}
    </div>
  );

  return (
    <div className="consultation" data-consultation style={minHeight ? { minHeight } : undefined}>
      {phase === 'sent' ? (
        <div className="consultation-success" ref={successRef} tabIndex={-1} data-consultation-success>
          <h3>Thank you — your request is on its way.</h3>
          <p>We will get in touch within two working days to arrange your free consultation.</p>
        </div>
      ) : (
        <form
          ref={formRef}
          className="consultation-form"
          aria-labelledby={`${ID}-title`}
          action={action}
          method="post"
          noValidate
          onSubmit={submit}
          data-hydrated={hydrated ? '' : undefined}
        >
          <h3 id={`${ID}-title`}>Request a consultation</h3>
          {invalid.length > 0 && (
            <div className="error-summary" ref={summaryRef} tabIndex={-1} aria-labelledby={`${ID}-summary`} data-error-summary>
              <h4 id={`${ID}-summary`}>{errorSummaryHeading(invalid.length)}</h4>
              <ul>
                {invalid.map((field) => (
                  <li key={field}>
                    <a href={`#${fieldId(field)}`}>{errors[field]}</a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p className="form-note">
            Fields marked <span aria-hidden="true">*</span>
            <span className="visually-hidden">with an asterisk</span> are required.
          </p>
          {text('name', 'Name', { type: 'text', autoComplete: 'name', required: true })}
          {text('email', 'Email', { type: 'email', autoComplete: 'email', required: true })}
          {text('phone', 'Phone', { type: 'tel', autoComplete: 'tel', required: false })}
          {text('preferredTime', 'Best time to reach you', {
            type: 'text',
            autoComplete: 'off',
            required: false,
            hint: 'For example: weekday mornings.',
          })}
          <div className="field">
            {label('message', 'What would you like to discuss?', false)}
            <textarea
              id={fieldId('message')}
              name="message"
              rows={4}
              maxLength={CONSULTATION_LIMITS.message}
              value={values.message}
              onChange={(event) => set('message', event.target.value)}
              aria-invalid={errors.message ? true : undefined}
              aria-describedby={describedBy('message')}
            />
            {errorText('message')}
          </div>
          <div className="field field-check">
            <input
              id={fieldId('consent')}
              name="consent"
              type="checkbox"
              value={CONSENT_FORM_VALUE}
              required
              checked={values.consent}
              onChange={(event) => set('consent', event.target.checked)}
              aria-invalid={errors.consent ? true : undefined}
              aria-describedby={describedBy('consent')}
            />
            <label htmlFor={fieldId('consent')}>
              I agree to be contacted about this request by email or phone.
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
            </label>
            {errorText('consent')}
          </div>
          {/* The honeypot: hidden from people and assistive technology, out of the tab order; bots fill it. */}
          <div className="consultation-hp" aria-hidden="true">
            <label htmlFor={`${ID}-${HONEYPOT_FIELD}`}>Leave this field empty</label>
            <input
              id={`${ID}-${HONEYPOT_FIELD}`}
              name={HONEYPOT_FIELD}
              type="text"
              tabIndex={-1}
              autoComplete="off"
              value={honeypot}
              onChange={(event) => setHoneypot(event.target.value)}
            />
          </div>
          <button type="submit" className="button" disabled={phase === 'sending'}>
            {phase === 'sending' ? 'Sending…' : submitLabel}
          </button>
        </form>
      )}
      <p className="form-status" role="status" aria-live="polite" data-form-status>
        {status}
      </p>
    </div>
  );
}

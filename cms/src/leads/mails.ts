// The two mails a consultation request causes: the agency's notification (every field and a link to the request
// in the admin; Reply-To is the reader, so answering it reaches them) and the reader's short confirmation, which
// carries nothing the reader typed. Plain text and HTML; every value the reader typed is escaped in the HTML.
import { UID, type ConsultationRequest } from '@agency/shared';

/** A stored request as the outbox reads it from the database (consent as the database holds it). */
export type LeadRequest = Omit<ConsultationRequest, 'consent'> & { documentId: string; consent: boolean; createdAt: Date };

export type Mail = { to: string; subject: string; text: string; html: string; replyTo?: string };

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** One line, for a header: no control characters, at most `max` characters. */
const oneLine = (text: string, max = 80) =>
  text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .trim()
    .slice(0, max);

/** Where an editor opens the request in the admin. */
function adminLink(cmsUrl: string, documentId: string): string {
  return `${cmsUrl}/admin/content-manager/collection-types/${UID.consultationRequest}/${encodeURIComponent(documentId)}`;
}

export function agencyMail(request: LeadRequest, to: string, cmsUrl: string): Mail {
  const link = adminLink(cmsUrl, request.documentId);
  const rows: Array<[string, string]> = [
    ['Name', request.name],
    ['Email', request.email],
    ['Phone', request.phone ?? '—'],
    ['Preferred time', request.preferredTime ?? '—'],
    ['Message', request.message ?? '—'],
    ['Consent to be contacted', request.consent ? 'yes' : 'no'],
    ['Received', request.createdAt.toISOString()],
  ];
  const text = [
    'A reader asked for a consultation on the website.',
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    `Open the request in the admin (set its status once someone has replied):\n${link}`,
    '',
    'Reply to this mail to answer the reader.',
  ].join('\n');
  const html = `<p>A reader asked for a consultation on the website.</p>
<table>${rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value).replace(/\n/g, '<br>')}</td></tr>`,
    )
    .join('')}</table>
<p><a href="${escapeHtml(link)}">Open the request in the admin</a> and set its status once someone has replied.</p>
<p>Reply to this mail to answer the reader.</p>`;
  return { to, replyTo: request.email, subject: `Consultation request from ${oneLine(request.name)}`, text, html };
}

/**
 * The reader's confirmation. It repeats nothing anyone typed into the form (not the name, not the message): the
 * address it goes to was typed by whoever sent the form, so anything of theirs in it would let them use the
 * agency's domain to carry their words to anyone. Only our own text, and the site the form is on.
 */
export function confirmationMail(to: string, siteUrl: string): Mail {
  const text = [
    'Hello,',
    '',
    `Thank you for your consultation request on ${siteUrl}. We have received it and will get in touch with you soon.`,
    '',
    'If you did not send this request, you can ignore this mail: an address gets at most one such mail a day.',
  ].join('\n');
  const html = `<p>Hello,</p>
<p>Thank you for your consultation request on ${escapeHtml(siteUrl)}. We have received it and will get in touch with you soon.</p>
<p>If you did not send this request, you can ignore this mail: an address gets at most one such mail a day.</p>`;
  return { to, subject: 'We received your consultation request', text, html };
}

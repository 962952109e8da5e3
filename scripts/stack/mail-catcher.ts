// A local mail catcher: a real SMTP server (smtp-server) that keeps every message it accepts in memory, and a
// small HTTP reader for them. `npm start` runs it when SMTP_HOST is unset, so an editor sees the consultation
// mails the CMS sends; the tests run it (tests/support/smtp.ts) to see what arrived, or to play a mail server
// that is down (stop) or refuses (refuseWith 550).
//
// The HTTP API answers like Mailpit's for what the tests read (GET /api/v1/messages, GET /api/v1/message/:ID,
// DELETE /api/v1/messages), so the same test code reads mail from the real Mailpit (compose) and from this
// catcher. `/` is a plain HTML list for people.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { closeServer, listen } from '../common/http.ts';

/** Mailpit's address shape. */
type MailAddress = { Name: string; Address: string };

/** One caught message, as Mailpit's GET /api/v1/message/:ID answers it (the fields the tests read). */
export type CaughtMessage = {
  ID: string;
  MessageID: string;
  From: MailAddress;
  To: MailAddress[];
  ReplyTo: MailAddress[];
  Subject: string;
  Date: string;
  Created: string;
  Text: string;
  HTML: string;
  Size: number;
  /** The addresses the SMTP client gave in RCPT TO (the real recipients, Bcc included). */
  Envelope: { From: string; To: string[] };
};

/** Mailpit's summary of a message in GET /api/v1/messages. */
export type MessageSummary = Omit<CaughtMessage, 'Text' | 'HTML' | 'Date'> & { Snippet: string };

export type MailCatcherOptions = {
  host?: string;
  /** 0 picks a free port; after the first start the catcher keeps its ports across stop/start. */
  smtpPort?: number;
  httpPort?: number;
};

/** An SMTP reply the catcher gives instead of accepting a message (a full mailbox, a policy refusal…). */
export type Refusal = { code: number; message: string };

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((group) => group.value.map((entry) => ({ Name: entry.name ?? '', Address: entry.address ?? '' })));
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class MailCatcher {
  readonly host: string;
  private smtpPortWanted: number;
  private httpPortWanted: number;
  private readonly messages: CaughtMessage[] = [];
  private smtp: SMTPServer | undefined;
  private readonly http: http.Server;
  private refusal: Refusal | null = null;
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  constructor(options: MailCatcherOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.smtpPortWanted = options.smtpPort ?? 0;
    this.httpPortWanted = options.httpPort ?? 0;
    this.http = http.createServer((request, response) => this.serve(request, response));
  }

  /** The SMTP port (known once started). */
  get smtpPort(): number {
    return this.smtpPortWanted;
  }

  /** The HTTP reader's base URL, such as http://127.0.0.1:8025 (known once started). */
  get httpUrl(): string {
    return `http://${this.host}:${this.httpPortWanted}`;
  }

  get smtpRunning(): boolean {
    return this.smtp !== undefined;
  }

  /** Starts the SMTP listener and (the first time) the HTTP reader. `variables` name the ports in a busy-port error. */
  async start(variables?: { smtpPort: string; httpPort: string }): Promise<void> {
    if (!this.http.listening) {
      await listen(this.http, this.httpPortWanted, this.host, variables ? { port: variables.httpPort } : undefined);
      this.httpPortWanted = (this.http.address() as AddressInfo).port;
    }
    await this.startSmtp(variables?.smtpPort);
  }

  /** Starts accepting mail again after stopSmtp(), on the same port. */
  async startSmtp(variable?: string): Promise<void> {
    if (this.smtp) return;
    const smtp = new SMTPServer({
      // A local catcher: no TLS, no login; it accepts mail for anyone and relays nothing.
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = this.refusal;
          if (refusal) {
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            return;
          }
          const raw = Buffer.concat(chunks);
          this.store(raw, session.envelope).then(
            () => callback(),
            (error: unknown) => callback(Object.assign(new Error(`Unreadable message: ${String(error)}`), { responseCode: 554 })),
          );
        });
      },
    });
    // smtp-server re-emits every error of its listener and of each connection (a client hanging up) on
    // itself: unhandled, one would end the process. A listen failure reaches listen() below as well, worded.
    smtp.on('error', () => {});
    await listen(smtp.server, this.smtpPortWanted, this.host, variable ? { port: variable } : undefined);
    this.smtpPortWanted = (smtp.server.address() as AddressInfo).port;
    this.smtp = smtp;
  }

  /** Stops accepting connections (a mail server that is down); the HTTP reader and the caught mail stay. */
  async stopSmtp(): Promise<void> {
    const smtp = this.smtp;
    this.smtp = undefined;
    if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }

  /** Answers every message with this SMTP error (such as 550) instead of accepting it; null accepts again. */
  refuseWith(refusal: Refusal | null): void {
    this.refusal = refusal;
  }

  /** Stops both listeners. */
  async stop(): Promise<void> {
    await this.stopSmtp();
    await closeServer(this.http);
  }

  list(): CaughtMessage[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }

  /** Resolves when `predicate` holds for the caught messages; rejects after `timeoutMs` saying what was caught. */
  async waitFor(predicate: (messages: CaughtMessage[]) => boolean, timeoutMs: number): Promise<CaughtMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.list())) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const subjects = this.messages.map((m) => `"${m.Subject}" to ${m.Envelope.To.join(', ')}`);
        throw new Error(
          `The mail catcher did not see the expected mail within ${timeoutMs} ms. Caught ${this.messages.length}: ${subjects.join('; ') || 'none'}.`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    return this.list();
  }

  private async store(raw: Buffer, envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> }) {
    const parsed = await simpleParser(raw);
    const now = new Date().toISOString();
    const message: CaughtMessage = {
      ID: String(this.nextId++),
      MessageID: parsed.messageId ?? '',
      From: addresses(parsed.from)[0] ?? { Name: '', Address: '' },
      To: addresses(parsed.to),
      ReplyTo: addresses(parsed.replyTo),
      Subject: parsed.subject ?? '',
      Date: (parsed.date ?? new Date()).toISOString(),
      Created: now,
      Text: parsed.text ?? '',
      HTML: typeof parsed.html === 'string' ? parsed.html : '',
      Size: raw.length,
      Envelope: { From: envelope.mailFrom ? envelope.mailFrom.address : '', To: envelope.rcptTo.map((r) => r.address) },
    };
    this.messages.push(message);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  private summary(message: CaughtMessage): MessageSummary {
    const { Text, HTML: _html, Date: _date, ...rest } = message;
    return { ...rest, Snippet: Text.replace(/\s+/g, ' ').trim().slice(0, 250) };
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://catcher');
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const newestFirst = [...this.messages].reverse();
    if (request.method === 'GET' && url.pathname === '/api/v1/messages') {
      json(200, {
        total: newestFirst.length,
        unread: 0,
        count: newestFirst.length,
        messages_count: newestFirst.length,
        start: 0,
        tags: [],
        messages: newestFirst.map((m) => this.summary(m)),
      });
      return;
    }
    if (request.method === 'DELETE' && url.pathname === '/api/v1/messages') {
      this.clear();
      json(200, 'ok');
      return;
    }
    const one = /^\/api\/v1\/message\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && one) {
      const message = this.messages.find((m) => m.ID === decodeURIComponent(one[1]!));
      if (message) json(200, { ...message, Inline: [], Attachments: [] });
      else json(404, { error: `No message with ID ${one[1]}.` });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/') {
      const rows = newestFirst
        .map(
          (m) =>
            `<li><details><summary>${escapeHtml(m.Created)} — <strong>${escapeHtml(m.Subject)}</strong> — to ${escapeHtml(
              m.To.map((t) => t.Address).join(', '),
            )}</summary><pre>${escapeHtml(`From: ${m.From.Name} <${m.From.Address}>\n\n${m.Text}`)}</pre></details></li>`,
        )
        .join('\n');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local mail (${newestFirst.length})</title></head><body><h1>Local mail</h1><p>Every message sent to the SMTP server at ${escapeHtml(
          `${this.host}:${this.smtpPort}`,
        )}, newest first. Nothing leaves this machine. Reload to see new mail. JSON: <a href="/api/v1/messages">/api/v1/messages</a>.</p><ol>${rows || '<li>No mail yet.</li>'}</ol></body></html>`,
      );
      return;
    }
    json(404, { error: 'Not found. Try / or /api/v1/messages.' });
  }
}

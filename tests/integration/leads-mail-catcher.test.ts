// The local mail catcher as people and tests use it: `npx node scripts/stack/mail-catcher-main.ts` takes mail
// over real SMTP (nodemailer, the client Strapi's provider uses), lists it on its web page (escaped) and through
// the Mailpit-compatible API, refuses with 550 when told to, and names the variable when its port is taken.
// @test-lane: own
import net from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startChild, type Child } from '../../scripts/common/children.ts';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { mailbox, startMailCatcher } from '../support/smtp.ts';

const MAIN = path.join(ROOT, 'scripts', 'stack', 'mail-catcher-main.ts');

describe('the local mail catcher (mail-catcher-main.ts)', () => {
  let child: Child;
  let output = '';
  let smtpPort: number;
  let uiPort: number;

  beforeAll(async () => {
    smtpPort = await freePort();
    uiPort = await freePort();
    child = startChild('mail catcher', process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...process.env, MAIL_SMTP_PORT: String(smtpPort), MAIL_UI_PORT: String(uiPort) },
      onLine: (line) => (output += `${line}\n`),
    });
    const deadline = Date.now() + 20_000;
    while (!output.includes('read the mail at')) {
      if (Date.now() > deadline || child.process.exitCode !== null) throw new Error(`The mail catcher did not start:\n${output}`);
      await sleep(100);
    }
  });
  afterAll(async () => {
    await child?.stop();
  });

  it('prints where it listens, takes mail over SMTP and shows it on its page and through the Mailpit API', async () => {
    expect(output).toContain(`Mail catcher: SMTP on 127.0.0.1:${smtpPort}; read the mail at http://127.0.0.1:${uiPort}/`);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false });
    await transport.sendMail({
      from: 'Agency <no-reply@agency.example>',
      to: 'editor@example.com',
      subject: 'A <script> in the subject',
      text: 'Plain text body\nsecond line',
      html: '<p>HTML body</p>',
    });

    const box = mailbox(`http://127.0.0.1:${uiPort}`);
    const message = await box.waitFor((m) => m.Subject === 'A <script> in the subject', 5_000);
    expect(message).toMatchObject({
      From: { Name: 'Agency', Address: 'no-reply@agency.example' },
      To: [{ Name: '', Address: 'editor@example.com' }],
      Text: 'Plain text body\nsecond line',
      HTML: '<p>HTML body</p>',
    });
    expect((await box.list())[0]).toMatchObject({ ID: message.ID, Snippet: 'Plain text body second line' });

    const page = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('A &lt;script&gt; in the subject');
    expect(html).not.toContain('<script>');
    expect((await fetch(`http://127.0.0.1:${uiPort}/api/v1/message/999`)).status).toBe(404);

    expect((await fetch(`http://127.0.0.1:${uiPort}/api/v1/messages`, { method: 'DELETE' })).status).toBe(200);
    expect(await box.list()).toEqual([]);
  });

  it('refuses with the SMTP answer it is given, and stops and restarts on the same port (tests/support/smtp.ts)', async () => {
    const catcher = await startMailCatcher();
    try {
      const transport = nodemailer.createTransport({ host: catcher.host, port: catcher.smtpPort, secure: false });
      const mail = { from: 'a@example.com', to: 'b@example.com', subject: 'Hello', text: 'Hi' };
      catcher.refuseWith({ code: 550, message: 'Mailbox unavailable' });
      await expect(transport.sendMail(mail)).rejects.toThrow(/550 Mailbox unavailable/);
      catcher.refuseWith(null);
      const port = catcher.smtpPort;
      await catcher.stopSmtp();
      await expect(transport.sendMail(mail)).rejects.toThrow(/ECONNREFUSED/);
      await catcher.startSmtp();
      expect(catcher.smtpPort).toBe(port);
      await transport.sendMail(mail);
      expect(catcher.list().map((m) => m.Subject)).toEqual(['Hello']);
    } finally {
      await catcher.stop();
    }
  });

  it('names the variable to change when its port is taken', async () => {
    const busy = net.createServer();
    await listen(busy, 0);
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const result = await run(process.execPath, [MAIN], {
        cwd: ROOT,
        env: { ...process.env, MAIL_SMTP_PORT: String(port), MAIL_UI_PORT: String(await freePort()) },
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`Port ${port} (MAIL_SMTP_PORT) is already in use on 127.0.0.1.`);
      const bad = await run(process.execPath, [MAIN], { cwd: ROOT, env: { ...process.env, MAIL_UI_PORT: 'web' } });
      expect(bad.output).toContain('MAIL_UI_PORT must be a port number from 1 to 65535, not "web".');
    } finally {
      await closeServer(busy);
    }
  });
});

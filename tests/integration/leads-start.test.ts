// `npm start` without SMTP_HOST: it runs the local mail catcher, prints where its mail is read, points Strapi at
// it with the local admin as the agency's address, and a consultation request's mail arrives there (here with
// LEADS_CONFIRM=false: the agency's mail only, read once the request is `sent`: no sleep). SIGTERM frees the
// catcher's ports with the rest.
// @test-lane: npm-start
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UID } from '@agency/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild, type Child } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { assertPortFree, freePort } from '../../scripts/stack/ports.ts';
import { loadStackEnv } from '../../scripts/stack/stack-env.ts';
import { mailbox } from '../support/smtp.ts';

const START = path.join(ROOT, 'scripts', 'stack', 'start.ts');

describe('npm start with the local mail catcher', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-leads-start-'));
  let child: Child | undefined;
  afterAll(async () => {
    await child?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the mail is read, and a consultation request is mailed to the local admin there', async () => {
    const ports = {
      CMS_PORT: await freePort(),
      SITE_PORT: await freePort(),
      REBUILD_PORT: await freePort(),
      PREVIEW_PORT: await freePort(),
      MAIL_SMTP_PORT: await freePort(),
      MAIL_UI_PORT: await freePort(),
    };
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(dir, 'data.db'),
      SITE_DIR: path.join(dir, 'site'),
      LEADS_CONFIRM: 'false',
      SMTP_HOST: undefined,
      LEADS_EMAIL_TO: undefined,
    };
    let output = '';
    child = startChild('npm start', process.execPath, [START], { cwd: ROOT, env, onLine: (line) => (output += `${line}\n`) });
    const deadline = Date.now() + 270_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (child.process.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${output}`);
      await sleep(250);
    }

    const ui = `http://127.0.0.1:${ports.MAIL_UI_PORT}`;
    expect(output).toMatch(new RegExp(`✓ Start the local mail catcher SMTP on 127\\.0\\.0\\.1:${ports.MAIL_SMTP_PORT}, mail at ${ui}/`));
    const login = /Login\s+(\S+@\S+) — /.exec(output)?.[1];
    expect(login).toBeTruthy();
    expect(output).toContain(`Mail            ${ui}/ (local catcher: consultation mails to ${login}`);

    const response = await fetch(`http://127.0.0.1:${ports.CMS_PORT}/api/consultation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'Start Reader', email: 'start.reader@example.com', consent: true } }),
    });
    expect(response.status).toBe(201);
    const box = mailbox(ui);
    const mail = await box.waitFor((m) => m.Subject === 'Consultation request from Start Reader', 30_000);
    expect(mail.To.map((to) => to.Address)).toEqual([login]);
    expect(mail.Text).toContain(`http://127.0.0.1:${ports.CMS_PORT}/admin/content-manager/collection-types/`);
    // The worker writes `sent` after the request's last mail (a confirmation goes before it), so from then on the
    // mailbox holds everything it will get for this request. The admin is the one npm start made from the .env.
    const admin = new CmsAdmin(`http://127.0.0.1:${ports.CMS_PORT}`, {
      email: login!,
      password: loadStackEnv({ create: false }).env.ADMIN_PASSWORD!,
    });
    const sentBy = Date.now() + 30_000;
    for (;;) {
      const { results } = await admin.request(
        'GET',
        `/content-manager/collection-types/${UID.consultationRequest}?filters[name][$eq]=Start%20Reader`,
      );
      const status = (results as Array<{ notificationStatus: string }>)[0]?.notificationStatus;
      if (status === 'sent') break;
      if (Date.now() > sentBy) throw new Error(`The request was mailed but never marked sent (it is ${status ?? 'not found'}).`);
      await sleep(250);
    }
    // LEADS_CONFIRM=false: no confirmation to the reader.
    expect((await box.list()).map((m) => m.Subject)).toEqual(['Consultation request from Start Reader']);
    expect(await (await fetch(`${ui}/`)).text()).toContain('Consultation request from Start Reader');

    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    child = undefined;
    await assertPortFree(ports.MAIL_SMTP_PORT, 'MAIL_SMTP_PORT');
    await assertPortFree(ports.MAIL_UI_PORT, 'MAIL_UI_PORT');
  }, 300_000);
});

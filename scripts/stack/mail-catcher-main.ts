// The local mail catcher on its own (`npx node scripts/stack/mail-catcher-main.ts`): an SMTP server that keeps
// every message, and a web page plus a Mailpit-compatible API to read them (mail-catcher.ts). `npm start` runs
// the same catcher itself; this entry is for running it alone, or in a container in Mailpit's place.
// Settings: mailCatcherSettings (./settings.ts). Ctrl-C or SIGTERM stops it.
import { explain } from '../common/errors.ts';
import { MailCatcher } from './mail-catcher.ts';
import { mailCatcherSettings } from './settings.ts';

try {
  const settings = mailCatcherSettings.read();
  const catcher = new MailCatcher({ host: settings.MAIL_CATCHER_HOST, smtpPort: settings.MAIL_SMTP_PORT, httpPort: settings.MAIL_UI_PORT });
  await catcher.start({ smtpPort: 'MAIL_SMTP_PORT', httpPort: 'MAIL_UI_PORT' });
  console.log(`Mail catcher: SMTP on ${catcher.host}:${catcher.smtpPort}; read the mail at ${catcher.httpUrl}/`);
  const stop = () => void catcher.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(explain(error));
  process.exit(1);
}

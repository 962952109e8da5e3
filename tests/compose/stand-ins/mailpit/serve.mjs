// The mailpit stand-in's server (JavaScript: it runs only in the image, which holds no TypeScript checker): the repository's mail catcher on Mailpit's ports, on every interface of the
// container (compose's network reaches SMTP; the host reaches the API through the published port).
import { MailCatcher } from '../../../../scripts/stack/mail-catcher.ts';

const catcher = new MailCatcher({ host: '0.0.0.0', smtpPort: 1025, httpPort: 8025 });
await catcher.start();
console.log(`mailpit stand-in: SMTP on 0.0.0.0:1025, API on ${catcher.httpUrl}/api/v1/messages`);
const stop = () => void catcher.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

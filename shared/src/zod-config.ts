// Imported first by every module here that builds zod schemas. The schemas run in readers' browsers (the
// consultation form) under the site's Content-Security-Policy, which allows no eval. Unless jitless is set
// before a schema is built, zod probes `new Function` to compile a fast parser, and although it catches the
// error, the browser reports the probe as a CSP violation.
import { z } from 'zod';

z.config({ jitless: true });

// temporary dev helper (deleted before handing back)
import { writeFileSync } from 'node:fs';
import { freshCmsEnv, tempDir } from './lib/bench-kit.ts';
import { startCms } from './lib/cms.ts';
import { freePort } from './lib/ports.ts';
const dir = tempDir('agency-dev-');
const env = freshCmsEnv(dir);
const cms = await startCms({ port: await freePort(), env });
writeFileSync('/tmp/dev/cms.json', JSON.stringify({ url: cms.url, email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }));
console.log('up', cms.url);
const stop = async () => { await cms.stop(); process.exit(0); };
process.on('SIGTERM', stop); process.on('SIGINT', stop);
setInterval(() => {}, 1e9);

// Debian's Chromium, as every tool here launches it (tests through playwright-core, the Lighthouse audit).
// The background-networking flags matter: this machine has no network, and Chromium would keep trying.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

// Debian's Chromium, as every tool here launches it (tests through playwright-core, the Lighthouse audit).
// The background-networking flags matter: this machine has no network, and Chromium would keep trying.
import { chromiumSettings } from './settings.ts';

/** CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = chromiumSettings.read().CHROMIUM_PATH;

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

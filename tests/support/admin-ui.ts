// What a test that drives Strapi's admin in Chromium needs around the page it is testing: Strapi may open a guided
// tour or onboarding dialog over it at any time after login (admin-publish.suite.ts, uploads-s3.test.ts).
import type { Page } from 'playwright-core';

/** Closes Strapi's guided tour / onboarding dialogs if one is open; harmless when none is. */
export async function dismissOnboarding(page: Page): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const dialog = page.getByRole('dialog').or(page.getByRole('alertdialog')).first();
    if (!(await dialog.isVisible().catch(() => false))) return;
    // Not the publish confirmation: only dialogs offering to skip or close a tour.
    const skip = dialog.getByRole('button', { name: /skip|close|dismiss|not now|maybe later|got it/i }).first();
    if (await skip.isVisible().catch(() => false)) await skip.click();
    else await page.keyboard.press('Escape');
    // The dialog's closing animation: the next round looks again once it is gone.
    await page.waitForTimeout(300);
  }
}

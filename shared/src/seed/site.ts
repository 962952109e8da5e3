// Starting values for the site settings. The kit's copy does not name the agency: editors set the real
// name and footer in the admin (Content Manager → Global), and the seed never overwrites them.
import type { SiteSettingsSeed } from './types.ts';

export const siteSettings: SiteSettingsSeed = {
  siteName: 'Branding Agency',
  footerText: 'Branding, marketing and communication.',
  defaultSeo: {
    metaTitle: 'Branding Agency',
    metaDescription: 'Articles on branding, sales and marketing from an experienced branding agency.',
    canonicalUrl: null,
    noIndex: false,
    shareImage: null,
  },
};

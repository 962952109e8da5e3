// The ids of the single-type entries, shared by the loader that stores them and the pages that read them.
export const SITE_SETTINGS_ID = 'global';
export const CONSULTATION_CTA_ID = 'consultation-cta';

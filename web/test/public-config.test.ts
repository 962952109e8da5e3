import { describe, expect, it } from 'vitest';
import { CmsError } from '../src/cms/errors.ts';
import { consultationEndpoint, consultationFormAction, publicCmsUrl } from '../src/lib/public-config.ts';

describe('publicCmsUrl', () => {
  it('defaults to CMS_URL, then to the local Strapi', () => {
    expect(publicCmsUrl({ CMS_URL: 'http://10.0.0.5:1337/' })).toBe('http://10.0.0.5:1337');
    expect(publicCmsUrl({})).toBe('http://127.0.0.1:1337');
  });

  it('reads PUBLIC_CMS_URL, dropping trailing slashes', () => {
    expect(publicCmsUrl({ CMS_URL: 'http://internal:1337', PUBLIC_CMS_URL: ' https://cms.example.com/ ' })).toBe('https://cms.example.com');
    expect(consultationEndpoint({ PUBLIC_CMS_URL: 'https://cms.example.com/strapi/' })).toBe(
      'https://cms.example.com/strapi/api/consultation-requests',
    );
    expect(consultationFormAction({ PUBLIC_CMS_URL: 'https://cms.example.com/' })).toBe(
      'https://cms.example.com/api/consultation-requests/form',
    );
  });

  it.each(['cms.example.com', 'ftp://cms.example.com', 'https://cms.example.com/?x=1', 'https://u:p@cms.example.com'])(
    'rejects PUBLIC_CMS_URL=%j',
    (value) => {
      expect(() => publicCmsUrl({ PUBLIC_CMS_URL: value })).toThrow(CmsError);
      expect(() => publicCmsUrl({ PUBLIC_CMS_URL: value })).toThrow(/^PUBLIC_CMS_URL must/);
    },
  );
});

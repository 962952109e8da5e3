// Who wrote the first article and what it is about: the agency itself (the kit's copy names no person, so
// the byline is the agency's) and the three subjects the copy compares. Editors rename or extend them in the
// admin; the seed never overwrites them.
import type { AuthorSeed, TopicSeed } from './types.ts';

export const agencyAuthor: AuthorSeed = {
  name: 'Branding Agency',
  slug: 'branding-agency',
  role: 'Branding, marketing and communication',
  bio: 'An experienced branding agency writing on branding, sales and marketing.',
};

export const topics: TopicSeed[] = [
  { name: 'Sales', slug: 'sales', description: 'Selling to the customers you have: prospects, deals and targets.' },
  { name: 'Marketing', slug: 'marketing', description: 'Reaching the customers you will have: brand awareness, channels and loyalty.' },
  { name: 'Strategy', slug: 'strategy', description: 'How a business plans, aligns its teams and spends its resources.' },
];

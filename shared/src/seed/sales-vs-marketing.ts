// The agency's first article and its consultation call to action, structured from the client's copy
// (sales-vs-marketing.txt beside this file, kept as the client sent it). The wording is the client's: keep it
// exact, curly apostrophes and all. shared/test/seed.test.ts compares it with that text.
import { paragraphs } from '../rich-text.ts';
import type { ArticleSeed, ConsultationCtaSeed } from './types.ts';

export const salesVsMarketing: ArticleSeed = {
  slug: 'sales-vs-marketing',
  title: 'What’s the difference between sales and marketing?',
  intro:
    'Ever wondered what the difference between Sales and Marketing is? They are often confused because they seem similar as both try to increase revenues. They have a common goal but different ways of achieving it. Both functions are important so it’s critical to understand the differences between them. This will help you make better decisions on how to allocate resources within your team.',
  body: [
    {
      kind: 'section',
      heading: 'Current focus versus future focus',
      body: paragraphs(
        'Sales deal with present customers and have a more immediate focus. Marketing deals with potential customers or prospects and often has a future focus. Salespeople are more about immediate results. The focus of Sales is converting prospects into customers in a limited time frame. Marketing is more strategic and takes a longer-term approach. Sales deal with existing clients while Marketing deals with developing potential customers.',
      ),
    },
    {
      kind: 'side-note',
      label: 'Side note',
      body: paragraphs(
        'Historically the sales function in a business has been embodied in a Salesperson. In some businesses, the sales function has recently been automated with online services such as e-commerce. In these businesses, it is still important to understand the difference between sales and marketing because both functions need to work together seamlessly. The focus of this article is more on businesses that have salespeople.',
      ),
    },
    {
      kind: 'section',
      heading: 'Results and expectations',
      body: paragraphs(
        'Sales and Marketing goals are different. Sales goals are short-term and focused on quarterly sales budgets. Marketing goals are long-term and focus on brand awareness and customer retention. Sales goals are measured in dollars. Marketing goals are measured in less quantifiable ways such as engagement, impressions, recall, awareness and brand loyalty. If Sales create instant demand, Marketing creates future demand. The goal of Marketing is to plant your brand in a customer’s mind so that when they are ready to buy they think of you first.',
      ),
    },
    {
      kind: 'section',
      heading: 'Strategic approach',
      body: paragraphs(
        'Sales and Marketing often have different strategies to build revenue. Marketing focuses on building brand awareness and attracting a defined group of people to the product or service. Sales focus on closing deals and making sales on a more direct individual basis. A Sales strategy may involve cold calling, door-to-door sales, discounts and other tactics. Marketing focuses on connecting with prospects through mass media, social channels and more publicly visible aspects of the business.',
      ),
    },
    {
      kind: 'section',
      heading: 'Customer journey focus',
      body: paragraphs(
        'Sales and Marketing focus on different areas of a customer buyer journey. Salespeople focus on prospects when they are ready to buy and guide them through the process of buying a product or service. Sales activities can include prospecting, connecting, qualifying and converting. Marketing focuses on the whole buyer journey from understanding a customer’s need, providing products that meet that need, making the prospect aware of the product, connecting the prospect with a way of buying the product and then building the customer relationship for future sales or support.',
      ),
    },
    {
      kind: 'section',
      heading: 'Communication tools',
      body: paragraphs(
        'Sales and Marketing use different communication tools. Salespeople talk to individual prospects on a one-to-one basis. They can build deeper, personal, face-to-face relationships in real time. Marketing can communicate to larger groups with mass messages that can influence far bigger audiences than an individual salesperson.',
      ),
    },
    {
      kind: 'section',
      heading: 'Integrating sales and marketing',
      body: paragraphs(
        'Sales and Marketing should work in tandem to help achieve each other’s goals. Sales need to understand the marketing strategy and the value it provides. Marketing needs to understand what Sales require so they can deliver optimum results. If both departments communicate well and work together, they can maximise resources and build an even better business.',
      ),
    },
  ],
  seo: {
    metaTitle: 'Sales vs marketing: what’s the difference?',
    metaDescription: 'Sales and marketing share a goal but not a method. Six differences, and how the two work together.',
    canonicalUrl: null,
    noIndex: false,
    shareImage: null,
  },
  author: 'branding-agency',
  topics: ['sales', 'marketing', 'strategy'],
};

export const consultationCta: ConsultationCtaSeed = {
  heading: 'Free 30-minute consultation.',
  subheading: 'How branding services can boost your business',
  body: paragraphs(
    'If you would like to discuss your brand with an experienced branding agency, please call to make an appointment for a free 30-minute telephone consultation. One of our experienced Account Managers will discuss your brand and will do their best to answer your questions.',
    'Our qualified and experienced team provide quality creative branding services and management skills to deliver work at the highest standards.',
    'A well-crafted brand, consistently applied, is an immensely powerful tool for creating exceptional customer experiences, making sales,  building your marketing, business or organisation. So contact us today to see how we can help you produce world-class branding, marketing and communication.',
  ),
  phone: null,
  actionLabel: 'Book your free consultation',
  actionUrl: null,
};

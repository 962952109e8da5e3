// Server-only helpers of the contract: never imported by code that reaches the browser.
export * from './preview-signature.ts';
export * from './secret.ts';
export * from './settings.ts';
export * from './route-path.ts';
export * from './close-unread.ts';

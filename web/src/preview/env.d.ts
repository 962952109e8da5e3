/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by src/preview/middleware.ts from the link's signed `status` query parameter. */
    previewStatus: 'DRAFT' | 'PUBLISHED';
    /** Set by src/preview/middleware.ts: the document the link was signed for ('' for a single type). */
    previewDocumentId: string;
  }
}

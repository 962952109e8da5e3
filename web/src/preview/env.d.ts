/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by src/preview/middleware.ts from the `status` query parameter. */
    previewStatus: 'DRAFT' | 'PUBLISHED';
  }
}

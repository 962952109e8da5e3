// The site cannot be built without Global and the Consultation CTA (every page shows them). Unpublishing,
// discarding or deleting either would make every later build fail, so the Document Service refuses it, and the
// admin shows the editor why and what to do instead. Editing and publishing stay free (the publish guard checks
// what is published). Server-side code that goes below the Document Service (the data transfer of a restore)
// is not affected.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '@agency/shared';

/** The single types every page needs, by the name the admin shows. */
const REQUIRED: Record<string, string> = {
  [UID.global]: 'Global',
  [UID.consultationCta]: 'the Consultation CTA',
};

const REMOVING_ACTIONS = new Set(['unpublish', 'discardDraft', 'delete']);

/** The message an editor reads in the admin when removing `name` is refused. */
function requiredContentMessage(name: string): string {
  return `The site cannot be built without ${name}: edit and publish it instead of removing it.`;
}

export function registerRequiredContentGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const name = REQUIRED[context.uid];
    if (name && REMOVING_ACTIONS.has(context.action)) {
      throw new errors.ValidationError(requiredContentMessage(name));
    }
    return next();
  });
}

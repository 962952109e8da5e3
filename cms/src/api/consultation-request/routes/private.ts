// Reading requests is for editors, in the admin. These routes exist only to say so: any GET on the public API
// answers 403 (the Public role lacks the action; with any credentials the handler refuses), API tokens
// included, instead of a bare 404. There is no find/findOne: nothing here can return a stored request.
import { UID } from '@agency/shared';

/** `<content-type UID>.<controller action>`: the controller (controllers/consultation-request.ts) is named after the type. */
const REFUSE_READ = `${UID.consultationRequest}.refuseRead`;

export default {
  routes: [
    { method: 'GET', path: '/consultation-requests', handler: REFUSE_READ },
    { method: 'GET', path: '/consultation-requests/:documentId', handler: REFUSE_READ },
  ],
};

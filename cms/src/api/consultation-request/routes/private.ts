// Reading requests is for editors, in the admin. These routes exist only to say so: any GET on the public API
// answers 403 (the Public role lacks the action; with any credentials the handler refuses), API tokens
// included, instead of a bare 404. There is no find/findOne: nothing here can return a stored request.
export default {
  routes: [
    { method: 'GET', path: '/consultation-requests', handler: 'api::consultation-request.consultation-request.refuseRead' },
    { method: 'GET', path: '/consultation-requests/:documentId', handler: 'api::consultation-request.consultation-request.refuseRead' },
  ],
};

// The draft-preview and consultation-form suites on one CMS and one site build (tests/support/form-and-preview.ts
// says why they can share): preview first, so that the site is built after its drafts are saved.
import { formAndPreview } from '../support/form-and-preview.ts';
import { consultationFormSuite } from './consultation-form.suite.ts';
import { previewSuite } from './preview.suite.ts';

const fixture = formAndPreview();
previewSuite(fixture);
consultationFormSuite(fixture);

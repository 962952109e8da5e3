// Where npm start's children write their output when STACK_LOG_DIR is set (./settings.ts): one file per child
// (cms.log, preview.log), appended line by line as it comes, so Strapi's request log and the preview server's
// lines can be read while the stack runs (tests/e2e/preview.suite.ts checks that neither logs a secret).
// Unset, a child's output is only kept in memory for the error messages (scripts/common/children.ts tail()).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A line handler that appends to `<dir>/<name>.log`, or undefined when there is no directory to write to. */
export function childLog(dir: string | null, name: string): ((line: string) => void) | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.log`);
  return (line) => {
    try {
      appendFileSync(file, `${line}\n`);
    } catch {
      /* a full disk or a removed directory must not stop the stack: the log is for reading, not for running */
    }
  };
}

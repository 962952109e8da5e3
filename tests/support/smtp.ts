// A real SMTP server for a test: the local mail catcher (scripts/stack/mail-catcher.ts) on free ports, or on the
// port the CMS was given (the pair's, ./pair.ts). A test stops and restarts it (a mail server that is down),
// makes it answer 550, and reads what arrived, either in-process (`catcher.waitFor`) or over the
// Mailpit-compatible HTTP API (`mailbox(url)`), which reads the real Mailpit the same way.
import { sleep } from '../../scripts/common/sleep.ts';
import { MailCatcher, type CaughtMessage, type MessageSummary } from '../../scripts/stack/mail-catcher.ts';

export type { CaughtMessage };

/** Starts a catcher on free ports (SMTP and HTTP), or SMTP on `smtpPort` (the pair's, ./pair.ts). Stop it with `catcher.stop()`. */
export async function startMailCatcher(smtpPort = 0): Promise<MailCatcher> {
  const catcher = new MailCatcher({ smtpPort });
  await catcher.start();
  return catcher;
}

/** Reads a Mailpit API (Mailpit's own, or the catcher's at `catcher.httpUrl`). */
export function mailbox(baseUrl: string) {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`);
    if (!response.ok) throw new Error(`GET ${baseUrl}${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  /** Every message, newest first (summaries: no body). */
  const list = async () => (await get<{ messages: MessageSummary[] }>('/api/v1/messages')).messages;
  /** One message with its Text and HTML. */
  const read = (id: string) => get<CaughtMessage>(`/api/v1/message/${encodeURIComponent(id)}`);
  /** Waits until a message matching `match` arrives; returns it in full. */
  const waitFor = async (match: (message: MessageSummary) => boolean, timeoutMs = 30_000): Promise<CaughtMessage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await list();
      const found = messages.find(match);
      if (found) return read(found.ID);
      if (Date.now() > deadline) {
        const seen = messages.map((m) => `"${m.Subject}" to ${m.To.map((to) => to.Address).join(', ')}`);
        throw new Error(`No matching mail at ${baseUrl} within ${timeoutMs} ms (seen: ${seen.join('; ') || 'none'}).`);
      }
      await sleep(200);
    }
  };
  return { list, read, waitFor };
}

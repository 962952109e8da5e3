// The search page's script (src/pages/search.astro), the only script behind the header's Search link. Pagefind's
// own API (`/pagefind/pagefind.js`, written by src/integrations/search-index.ts) is loaded when the reader
// first focuses or uses the field, or at once when the page opens with `?q=`. Results are built as plain DOM
// (text nodes and Pagefind's <mark>s, nothing else from the index), the status line is a live region that
// says what was found, and focus stays where the reader put it.

/** The few parts of Pagefind's browser API this page uses. */
type PagefindResultData = { url: string; excerpt: string; meta: { title?: string } };
type Pagefind = {
  options: (options: { excerptLength?: number }) => Promise<void>;
  debouncedSearch: (
    term: string,
    options?: object,
    timeoutMs?: number,
  ) => Promise<{ results: Array<{ data: () => Promise<PagefindResultData> }> } | null>;
};

/** Where the index is served (SEARCH_INDEX_DIR in src/integrations/search-index.ts). */
const PAGEFIND_URL = '/pagefind/pagefind.js';
/** Results shown for one search: the best matches; the status line says when there are more. */
const MAX_RESULTS = 20;
const DEBOUNCE_MS = 250;

/** Pagefind's excerpt (HTML with <mark>) as nodes: its text, with only the <mark> elements kept. */
function excerptNodes(excerpt: string): Node[] {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, 'text/html').body;
  return [...parsed.querySelectorAll('p')[0]!.childNodes].map((node) => {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent ?? '');
  });
}

function resultItem(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const heading = document.createElement('h2');
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  heading.append(link);
  const excerpt = document.createElement('p');
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(heading, excerpt);
  return item;
}

function plural(count: number): string {
  return count === 1 ? '1 article' : `${count} articles`;
}

export function startSearch(root: HTMLElement): void {
  const form = root.querySelector<HTMLFormElement>('[data-search-form]')!;
  const input = root.querySelector<HTMLInputElement>('[data-search-input]')!;
  const status = root.querySelector<HTMLElement>('[data-search-status]')!;
  const list = root.querySelector<HTMLOListElement>('[data-search-results]')!;
  let loading: Promise<Pagefind> | null = null;

  const load = (): Promise<Pagefind> => {
    loading ??= (import(/* @vite-ignore */ PAGEFIND_URL) as Promise<Pagefind>).then(async (pagefind) => {
      await pagefind.options({ excerptLength: 24 });
      return pagefind;
    });
    return loading;
  };

  const search = async (raw: string): Promise<void> => {
    const term = raw.trim();
    const url = new URL(location.href);
    if (term) url.searchParams.set('q', term);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!term) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    let pagefind: Pagefind;
    try {
      pagefind = await load();
    } catch {
      loading = null;
      status.textContent = 'Search could not load. Check your connection and try again.';
      return;
    }
    const found = await pagefind.debouncedSearch(term, {}, DEBOUNCE_MS);
    if (!found) return; // a newer search superseded this one
    const data = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (input.value.trim() !== term) return; // the reader typed on while the excerpts loaded
    list.replaceChildren(...data.map(resultItem));
    const count = found.results.length;
    status.textContent =
      count === 0
        ? `No articles match “${term}”.`
        : `${plural(count)} found for “${term}”${count > MAX_RESULTS ? `; showing the best ${MAX_RESULTS}` : ''}.`;
  };

  input.addEventListener('focus', () => void load().catch(() => {}), { once: true });
  input.addEventListener('input', () => void search(input.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void search(input.value);
  });
  const initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    void search(initial);
  }
}

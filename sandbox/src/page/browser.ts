/**
 * A browser without a browser, for the hosted page (`sb.visit` drives the
 * page with it, and the page's tests read it with it): reads the page's HTML
 * the way assistive technology names things (a link or button by its text,
 * a field by its label, a list by the heading it is labelled by), and
 * follows links and submits forms as a browser does — the clicked button's
 * name and value, hidden fields, the selected option; `Origin` and
 * `Sec-Fetch-Site` on a POST; a 303 followed with a GET on the sandbox,
 * and reported (not fetched) when it leaves for the app's `return_url`.
 * Small on purpose: it reads the sandbox's own markup, and fails loudly
 * on anything it cannot find exactly once.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name]!);
/** Text content as an accessible name: tags dropped, entities decoded, white space collapsed. */
export const textOf = (markup: string) =>
  decode(markup.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([a-zA-Z][\w-]*)(?:="([^"]*)")?/g)) found[name!.toLowerCase()] ??= decode(value ?? "");
  return found;
}

export interface Control {
  kind: "input" | "select" | "button";
  attrs: Record<string, string>;
  /** Its accessible name: a button's text, a field's label. */
  name: string;
  /** A select's options, in order. */
  options: { value: string; text: string; selected: boolean }[];
}

export interface Form {
  method: "get" | "post";
  action: string;
  controls: Control[];
}

export interface Landing {
  /** The browser left the sandbox: a 303 to the app's return URL. */
  landing: string;
}

export class Page {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    readonly html: string,
  ) {}

  /** The element's text by id. */
  #byId(id: string): string | undefined {
    const match = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(this.html);
    return match ? textOf(match[2]!) : undefined;
  }

  get lang(): string | undefined {
    return /<html\b[^>]*\blang="([^"]+)"/.exec(this.html)?.[1];
  }

  /** The texts of the headings of `level`. */
  headings(level: number): string[] {
    return [...this.html.matchAll(new RegExp(`<h${level}\\b[^>]*>([\\s\\S]*?)</h${level}>`, "g"))].map((match) => textOf(match[1]!));
  }

  /** The elements of a landmark kind present (`header`, `main`, `footer`, …). */
  landmarks(): string[] {
    return [...this.html.matchAll(/<(header|main|footer|nav|aside)\b/g)].map((match) => match[1]!);
  }

  links(): { name: string; href: string }[] {
    return [...this.html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)].map((match) => ({
      name: textOf(match[2]!),
      href: attributes(match[1]!).href ?? "",
    }));
  }

  /** The one link named exactly `name`. */
  link(name: string): { name: string; href: string } {
    const found = this.links().filter((link) => link.name === name);
    if (found.length !== 1)
      throw new Error(
        `${found.length} links named "${name}" on ${this.url}; links: ${this.links()
          .map((link) => link.name)
          .join(" | ")}`,
      );
    return found[0]!;
  }

  /** The item texts of the list (`ul` or `ol`) whose accessible name is `name` (via aria-labelledby), or undefined when there is none. */
  list(name: string): string[] | undefined {
    for (const match of this.html.matchAll(/<(?:ul|ol)\b([^>]*)>([\s\S]*?)<\/(?:ul|ol)>/g)) {
      const labelledBy = attributes(match[1]!)["aria-labelledby"];
      if (labelledBy === undefined || this.#byId(labelledBy) !== name) continue;
      return [...match[2]!.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((item) => textOf(item[1]!));
    }
    return undefined;
  }

  forms(): Form[] {
    const labels = new Map(
      [...this.html.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/g)].map((match) => [attributes(match[1]!).for, textOf(match[2]!)]),
    );
    return [...this.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
      const attrs = attributes(match[1]!);
      const controls: Control[] = [];
      for (const control of match[2]!.matchAll(/<(input)\b([^>]*)>|<(select|button)\b([^>]*)>([\s\S]*?)<\/\3>/g)) {
        const kind = (control[1] ?? control[3]) as Control["kind"];
        const controlAttrs = attributes(control[2] ?? control[4]!);
        const options = [...(control[5] ?? "").matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map((option) => {
          const optionAttrs = attributes(option[1]!);
          return { value: optionAttrs.value ?? textOf(option[2]!), text: textOf(option[2]!), selected: "selected" in optionAttrs };
        });
        const name = kind === "button" ? textOf(control[5]!) : (labels.get(controlAttrs.id) ?? "");
        controls.push({ kind, attrs: controlAttrs, name, options });
      }
      return { method: (attrs.method ?? "get").toLowerCase() as Form["method"], action: attrs.action ?? "", controls };
    });
  }

  /** The one form with a control named `name`, and that control. */
  control(name: string): { form: Form; control: Control } {
    const found = this.forms().flatMap((form) =>
      form.controls.filter((control) => control.name === name).map((control) => ({ form, control })),
    );
    if (found.length !== 1) throw new Error(`${found.length} controls named "${name}" on ${this.url}`);
    return found[0]!;
  }
}

export class Browser {
  constructor(
    readonly fetch: FetchLike,
    /** Where the sandbox is: redirects elsewhere are landings. */
    readonly origin: string,
  ) {}

  /** GETs `url`, following redirects on the sandbox. */
  async open(url: string): Promise<Page | Landing> {
    return this.#navigate(url, { method: "GET" });
  }

  /** Follows the link named `name`. */
  async follow(page: Page, name: string): Promise<Page | Landing> {
    return this.open(new URL(page.link(name).href, page.url).href);
  }

  /**
   * Clicks the button named `button`, after filling `fields` (by their
   * labels: a select takes an option's value). `headers` adds request
   * headers, for what another site would send.
   */
  async submit(
    page: Page,
    button: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<Page | Landing> {
    const { form, control: clicked } = page.control(button);
    if (clicked.kind !== "button") throw new Error(`"${button}" is not a button`);
    const data = new URLSearchParams();
    for (const control of form.controls) {
      const { name } = control.attrs;
      if (name === undefined || (control.kind === "button" && control !== clicked)) continue;
      if (control.kind === "select") {
        const chosen = fields[control.name] ?? (control.options.find((option) => option.selected) ?? control.options[0])?.value;
        if (chosen !== undefined && !control.options.some((option) => option.value === chosen))
          throw new Error(`"${control.name}" has no option ${chosen}`);
        if (chosen !== undefined) data.append(name, chosen);
      } else if (control.attrs.type === "checkbox") {
        // Sent only when checked: `fields` checks it by its label with "on".
        if ((fields[control.name] ?? ("checked" in control.attrs ? "on" : "off")) === "on") data.append(name, control.attrs.value ?? "on");
      } else {
        data.append(name, fields[control.name] ?? control.attrs.value ?? "");
      }
    }
    const action = new URL(form.action || page.url, page.url);
    if (form.method === "get") {
      action.search = data.toString();
      return this.open(action.href);
    }
    return this.#navigate(action.href, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: new URL(page.url).origin,
        "sec-fetch-site": "same-origin",
        ...headers,
      },
      body: data.toString(),
    });
  }

  async #navigate(url: string, init: RequestInit): Promise<Page | Landing> {
    let next = url;
    let request = init;
    for (let hops = 0; hops < 5; hops++) {
      if (new URL(next).origin !== this.origin) return { landing: next };
      const response = await this.fetch(next, { ...request, redirect: "manual" });
      if (response.status < 300 || response.status >= 400) return new Page(next, response.status, response.headers, await response.text());
      await response.body?.cancel();
      next = new URL(response.headers.get("location")!, next).href;
      request = { method: "GET" };
    }
    throw new Error(`more than 5 redirects from ${url}`);
  }
}

/** The page, or a failure naming what came instead. */
export function asPage(result: Page | Landing): Page {
  if (!(result instanceof Page)) throw new Error(`expected a page, the browser left for ${result.landing}`);
  return result;
}

/** The landing URL, or a failure naming the page that came instead. */
export function asLanding(result: Page | Landing): string {
  if (result instanceof Page)
    throw new Error(`expected to leave for the app, got ${result.status} ${result.headings(1).join()} at ${result.url}`);
  return result.landing;
}

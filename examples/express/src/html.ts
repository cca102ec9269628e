/**
 * HTML built from template literals: every interpolated value is escaped
 * unless it is itself `Html` (a fragment built the same way), so a name
 * from the catalog or a user's input can never become markup.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escape = (value: string): string => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escape(String(value));
}

/** A fragment: `html\`<p>${name}</p>\`` escapes `name`; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, string, index) => out + string + (index < values.length ? render(values[index]!) : ""), ""));
}

/**
 * The example app over plain HTTP, as a browser's requests reach it: the
 * cookies it sets carried along, and each page's form token (csrf.ts) read
 * from its HTML, so a test can post its forms — or post them as another
 * site would.
 */
import { expect } from "vitest";

/** A browser's cookies for the app, kept as it sets them. */
export class AppSession {
  readonly #cookies = new Map<string, string>();

  constructor(readonly appUrl: string) {}

  get cookie(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** A request to the app with this session's cookies; the cookies it sets are kept. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set("cookie", this.cookie);
    const response = await fetch(`${this.appUrl}${path}`, { redirect: "manual", signal: AbortSignal.timeout(15_000), ...init, headers });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const at = pair!.indexOf("=");
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(header)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /** The form token of the page at `path` (every POST form of a page carries the same one). */
  async formToken(path: string): Promise<string> {
    const response = await this.fetch(path);
    expect(response.status, `GET ${path}`).toBe(200);
    const token = /name="csrf_token" value="([^"]+)"/.exec(await response.text())?.[1];
    if (token === undefined) throw new Error(`GET ${path}: no form token on the page`);
    return token;
  }

  /** Posts a form as the app's own page would: same-origin, with its token unless `fields` says otherwise. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.appUrl, "sec-fetch-site": "same-origin", ...headers },
      body: new URLSearchParams(fields),
    });
  }

  /** Signs in as `username` through the sign-in form. */
  async signIn(username: string): Promise<void> {
    const signedIn = await this.post("/signin", { csrf_token: await this.formToken("/signin"), username });
    expect(signedIn.status, "POST /signin").toBe(303);
  }
}

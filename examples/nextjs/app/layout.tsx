/**
 * The document around every page: `lang`, a skip link, the header with the
 * main navigation and the Sign out button, main, footer. Each page renders
 * its one h1 and names itself in `metadata.title`.
 */
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { APP_NAME } from "@/lib/config";
import { currentUser } from "@/lib/users";
import "./globals.css";

export const metadata: Metadata = { title: { template: `%s · ${APP_NAME}`, default: APP_NAME } };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header>
          <div className="bar">
            <p className="brand">{APP_NAME}</p>
            {user && (
              <>
                <nav aria-label="Main">
                  <ul>
                    {/* Plain links: every page reads the sign-in cookie on the server. */}
                    <li>
                      <a href="/">Home</a>
                    </li>
                    <li>
                      <a href="/records">Your records</a>
                    </li>
                    <li>
                      <a href="/webhooks">Webhook events</a>
                    </li>
                  </ul>
                </nav>
                <form method="post" action="/api/signout">
                  <input type="hidden" name="csrf_token" value={user.csrfToken} />
                  <span>Signed in as {user.userId}</span>{" "}
                  <button type="submit" className="link">
                    Sign out
                  </button>
                </form>
              </>
            )}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer>
          <p>An example integration of medblocks-client in Next.js, running against medblocks-sandbox.</p>
        </footer>
      </body>
    </html>
  );
}

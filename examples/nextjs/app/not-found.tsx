/** Any address the app has no page for. */
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the home page</a>.
      </p>
    </>
  );
}

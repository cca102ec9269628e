"use client";
/**
 * A page that failed (Medblocks unreachable, say). In production Next.js
 * passes only a digest to the browser; the error itself is in the server's log.
 */
export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Try again in a moment.</p>
      {error.digest && (
        <p>
          Error reference <code>{error.digest}</code>.
        </p>
      )}
    </>
  );
}

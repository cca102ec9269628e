/** `/signin`: the fake sign-in's form (see lib/users.ts); it posts to /api/signin. */
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignIn({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { error, username } = await searchParams;
  const invalid = error === "username";
  return (
    <>
      <h1>Sign in</h1>
      <p>This example has no passwords: any username signs you in. It is also your patient id at Medblocks.</p>
      <form method="post" action="/api/signin">
        <label htmlFor="username">Username</label>
        <p id="username-hint">Lowercase letters, digits, - and _, up to 40 characters.</p>
        {invalid && (
          <p id="username-error" className="error">
            Enter a username of lowercase letters, digits, - and _.
          </p>
        )}
        <input
          id="username"
          name="username"
          defaultValue={invalid && typeof username === "string" ? username : ""}
          autoComplete="username"
          required
          aria-describedby={invalid ? "username-hint username-error" : "username-hint"}
          aria-invalid={invalid || undefined}
        />
        <div className="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </>
  );
}

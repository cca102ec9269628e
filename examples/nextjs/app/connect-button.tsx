"use client";
/**
 * The Connect button: POSTs to the app's route handler, which starts the
 * patient session on the server (the API key never reaches the browser), and
 * sends the browser to the session's URL. Disabled until React has hydrated
 * it, so a click is never lost.
 */
import { useEffect, useState } from "react";

type State = "loading" | "ready" | "starting" | "failed";

export function ConnectButton({ csrfToken }: { csrfToken: string }) {
  const [state, setState] = useState<State>("loading");
  useEffect(() => {
    setState("ready");
    // Back from Medblocks through the browser's history: the page is restored as it was left, mid-"starting".
    const restored = (event: PageTransitionEvent) => event.persisted && setState("ready");
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, []);

  async function connect() {
    setState("starting");
    try {
      const response = await fetch("/api/patient-sessions", { method: "POST", headers: { "x-csrf-token": csrfToken } });
      const body: unknown = await response.json();
      if (!response.ok || typeof body !== "object" || body === null || !("url" in body) || typeof body.url !== "string")
        throw new Error(`status ${response.status}`);
      window.location.href = body.url;
    } catch {
      setState("failed");
    }
  }

  return (
    <>
      <div className="actions">
        <button type="button" onClick={connect} disabled={state === "loading" || state === "starting"} aria-busy={state === "starting"}>
          Connect your health records
        </button>
      </div>
      {state === "failed" && (
        <p role="alert" className="error">
          The connection could not be started. Try again in a moment.
        </p>
      )}
    </>
  );
}

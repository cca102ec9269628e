/**
 * `POST /api/webhooks/medblocks`: Medblocks' deliveries, verified against
 * the raw bytes (`request.json()` would parse them, and a re-serialized
 * body no longer matches the signature), recorded once per event id.
 */
import { Medblocks, MedblocksSignatureError, type WebhookEvent } from "medblocks-client";
import { readBody } from "@/lib/body";
import { webhookSecret } from "@/lib/config";
import { store } from "@/lib/store";

/** Medblocks' events are a few kilobytes; anything near this is not one. */
const BODY_LIMIT = 1024 * 1024;

const text = (body: string, status: number) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function POST(request: Request): Promise<Response> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) return text("expected an application/json body", 400);
  const body = await readBody(request, BODY_LIMIT);
  if (body === null) return text("the body is larger than 1 MB", 413);
  let event: WebhookEvent;
  try {
    event = await Medblocks.webhooks.constructEvent(body, request.headers.get("medblocks-signature"), webhookSecret());
  } catch (error) {
    if (!(error instanceof MedblocksSignatureError)) throw error;
    console.log(`webhook rejected: ${error.reason}`);
    return text(error.reason, 400);
  }
  const fresh = store.recordEvent(event, new Date());
  console.log(`webhook ${String(event.type)} ${event.id} verified${fresh ? "" : ", a repeat: ignored"}`);
  // Answer at once; slow work belongs after the answer (Medblocks waits 5 s at most).
  return new Response(null, { status: 200 });
}

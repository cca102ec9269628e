/**
 * Type behaviour, checked by tsc through `vitest --typecheck` (the "types"
 * project): each `expectTypeOf` is an assertion tsc evaluates, and each
 * `@ts-expect-error` marks a line that must not compile — if it ever does,
 * the check fails. Nothing here runs.
 */
import type { ParsedQs } from "qs";
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../generated/api.js";
import type { Transport } from "../src/transport.js";
import type { Undefinable } from "../src/undefinable.js";
import {
  type APIPromise,
  Medblocks,
  MedblocksError,
  isMedblocksError,
  parseReturnUrl,
  type Connection,
  type FhirSourceList,
  type PatientRecord,
  type PatientRecords,
  type ListPromise,
  type MedblocksErrorCode,
  type MedblocksErrorType,
  type Page,
  type PatientDetail,
  type PatientSession,
  type PatientSessionCompletedEvent,
  type PatientSessionInitParams,
  type ReturnUrlResult,
  type UnknownWebhookEvent,
  type WebhookEvent,
  type WithResponse,
} from "../src/index.js";

declare const mb: Medblocks;
declare const transport: Transport;

describe("types", () => {
  it("are the generated ones", () => {
    expectTypeOf<PatientSession>().branded.toEqualTypeOf<components["schemas"]["PatientSession"]>();
    expectTypeOf<PatientDetail>().branded.toEqualTypeOf<components["schemas"]["PatientDetail"]>();
    expectTypeOf<Connection>().branded.toEqualTypeOf<components["schemas"]["FhirSource"]>();
    expectTypeOf<components["schemas"]["PatientSessionInitInput"]>().toExtend<PatientSessionInitParams>();
    // The init body's named modes are the generated body, with an explicit undefined for a field left out.
    expectTypeOf<PatientSessionInitParams>().toEqualTypeOf<Undefinable<components["schemas"]["PatientSessionInitInput"]>>();
    expectTypeOf<Parameters<Medblocks["patientSession"]["init"]>[0]>().toEqualTypeOf<PatientSessionInitParams>();
    expectTypeOf<MedblocksErrorCode>().toEqualTypeOf<components["schemas"]["ErrorCode"]>();
    expectTypeOf<MedblocksErrorType>().toEqualTypeOf<components["schemas"]["ErrorType"]>();
  });

  it("refuse what the spec refuses", () => {
    // @ts-expect-error return_url is required
    void mb.patientSession.init({ patient_id: "u" });
    // @ts-expect-error patient_id is required
    void mb.patientSession.init({ return_url: "https://x.example" });
    // @ts-expect-error connection_id and recommended_connection_ids exclude each other
    void mb.patientSession.init({
      patient_id: "u",
      return_url: "https://x.example",
      connection_id: "fhirsrc_a",
      recommended_connection_ids: ["fhirsrc_b"],
    });
    // @ts-expect-error unknown fields are refused
    void mb.patientSession.init({ patient_id: "u", return_url: "https://x.example", patient_dob: "1990-01-01" });
    // @ts-expect-error expires_in is a number
    void mb.patientSession.init({ patient_id: "u", return_url: "https://x.example", expires_in: "600" });
    // @ts-expect-error "done" is not a session status
    void mb.patients.listPatientSessions("u", { status: "done" });
    // @ts-expect-error "paused" is not a connection status
    const status: PatientSession["connections"][number]["status"] = "paused";
    // @ts-expect-error count belongs to records, not to the catalog
    void mb.connections.list({ count: 5 });
    // @ts-expect-error disconnect takes the patient's conn_ link, not the catalog's fhirsrc_ id
    void mb.patients.disconnectConnection("u", "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP");
    // @ts-expect-error nor a catalog entry
    void mb.patients.disconnectConnection("u", {} as Connection);
    // @ts-expect-error a PUT repeats patient_id
    void mb.patients.update("u", { name: "Jane" });
    // @ts-expect-error autoPagingToArray needs a limit
    void mb.connections.list().autoPagingToArray({});
    // Under the resources, parts are checked against the operation the id names:
    // @ts-expect-error the webhook path parameter is `id`
    void transport.request("api.getWebhook", "x", { path: { webhook_id: "wh_1" } }, undefined);
    // @ts-expect-error createWebhook's body needs `events`
    void transport.request("api.createWebhook", "x", { body: { url: "https://x.example" } }, undefined);
    // @ts-expect-error listFhirSources takes no `status`
    void transport.request("api.listFhirSources", "x", { query: { status: "active" } }, undefined);
    void status;
  });

  it("take an explicit undefined in every options object (exactOptionalPropertyTypes is on)", () => {
    const maybe = undefined as string | undefined;
    void new Medblocks("k", { baseUrl: maybe, timeout: undefined, maxRetryWait: undefined, logger: undefined, fetch: undefined });
    void mb.patients.retrieve("u", {
      signal: undefined,
      timeout: undefined,
      headers: undefined,
      version: maybe,
      apiKey: maybe,
      maxNetworkRetries: undefined,
    });
    void mb.connections.list({ q: maybe, type: undefined, limit: undefined, starting_after: maybe });
    void mb.patients.records("u", { since: maybe, count: undefined, ending_before: undefined });
    void mb.webhooks.listEvents("wh_1", { delivered: undefined });
    void mb.patientSession.init({ patient_id: "u", return_url: "https://x.example", patient_email: maybe, expires_in: undefined });
    void mb.patientSession.verifyReturn("?x", { patientId: "u", sessionId: maybe });
    void mb.connections.list().autoPagingToArray({ limit: 10, direction: undefined });
    void Medblocks.webhooks.constructEvent("{}", "t=1", "whsec_x", { tolerance: undefined });
    void Medblocks.webhooks.generateTestHeaderString({ payload: "{}", secret: "whsec_x", timestamp: undefined });
  });

  it("read Express's req.query", () => {
    const query = {} as ParsedQs;
    expectTypeOf(parseReturnUrl(query)).toEqualTypeOf<ReturnUrlResult | null>();
    void mb.patientSession.verifyReturn(query, { patientId: "u" });
  });

  it("return real Promises with withResponse()", () => {
    expectTypeOf(mb.patientSession.init).returns.toEqualTypeOf<APIPromise<PatientSession>>();
    expectTypeOf(mb.patients.retrieve("u")).toExtend<Promise<PatientDetail>>();
    expectTypeOf(mb.patients.retrieve("u").withResponse()).toEqualTypeOf<Promise<WithResponse<PatientDetail>>>();
    expectTypeOf<WithResponse<PatientDetail>["requestId"]>().toEqualTypeOf<string | null>();
    expectTypeOf(mb.connections.list()).toEqualTypeOf<ListPromise<Connection, FhirSourceList>>();
    expectTypeOf(mb.connections.list()).toExtend<Promise<Page<Connection>>>();
    expectTypeOf(mb.patients.records("u")).toEqualTypeOf<ListPromise<PatientRecord, PatientRecords>>();
    expectTypeOf(mb.connections.list().autoPagingToArray({ limit: 5 })).toEqualTypeOf<Promise<Connection[]>>();
    expectTypeOf<Awaited<ReturnType<typeof transport.request<"api.getWebhook">>>>().toEqualTypeOf<
      components["schemas"]["WebhookEndpoint"]
    >();
    expectTypeOf<Page<Connection>["next_cursor"]>().toEqualTypeOf<string | null>();
    expectTypeOf<"conn_1">().toExtend<Parameters<Medblocks["patients"]["disconnectConnection"]>[1]>();
    expectTypeOf<PatientDetail["connections"][number]>().toExtend<Parameters<Medblocks["patients"]["disconnectConnection"]>[1]>();
  });

  it("narrow the return and the error", () => {
    const result = parseReturnUrl("?patient_session_id=ps_1&patient_id=u&success=false&error=user_denied");
    if (result?.success === false) {
      expectTypeOf(result.error).toEqualTypeOf<string>();
      expectTypeOf(result.error_description).toEqualTypeOf<string | null>();
    }
    if (result?.success === true) expectTypeOf(result.connection_id).toEqualTypeOf<string>();
    if (result?.mode === "hosted") expectTypeOf(result.success).toEqualTypeOf<undefined>();
    const caught: unknown = new MedblocksError({ type: "not_found_error", code: "resource_not_found", message: "m" });
    if (isMedblocksError(caught)) {
      expectTypeOf(caught).toEqualTypeOf<MedblocksError>();
      expectTypeOf(caught.statusCode).toEqualTypeOf<number | null>();
      // The code union is generated, and open to codes added later.
      expectTypeOf<"resource_not_found">().toExtend<typeof caught.code>();
      expectTypeOf<"a_code_from_next_year">().toExtend<typeof caught.code>();
    }
  });

  it("narrow webhook events by type exactly, and leave an unknown type to the default branch", () => {
    const handleCompleted = (event: PatientSessionCompletedEvent) => event.data.object.id;
    const event = {} as WebhookEvent;
    switch (event.type) {
      case "patient_session.completed":
        expectTypeOf(event).toEqualTypeOf<PatientSessionCompletedEvent>();
        expectTypeOf(event.data.object).toEqualTypeOf<components["schemas"]["PatientSession"]>();
        void handleCompleted(event);
        break;
      case "records.sync.completed":
        expectTypeOf(event.data.object.patient_id).toEqualTypeOf<string>();
        break;
      case "connection.token_refresh_failed":
      case "records.sync.failed":
        break;
      default:
        expectTypeOf(event).toEqualTypeOf<UnknownWebhookEvent>();
        expectTypeOf(String(event.type)).toEqualTypeOf<string>();
        expectTypeOf(event.data.object).toEqualTypeOf<{ [key: string]: unknown }>();
    }
  });
});

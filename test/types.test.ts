/**
 * Type behaviour, checked by `npm run typecheck` (tsc over this file): each
 * `@ts-expect-error` marks a line that must not compile, and tsc fails if it
 * ever does. The runtime part only keeps vitest from calling the file empty.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../generated/api.js";
import type { Transport } from "../src/transport.js";
import {
  Medblocks,
  MedblocksError,
  isMedblocksError,
  parseReturnUrl,
  type Connection,
  type ListPromise,
  type MedblocksErrorCode,
  type MedblocksErrorType,
  type Page,
  type PatientDetail,
  type PatientSession,
  type PatientSessionInitParams,
  type ReturnUrlResult,
} from "../src/index.js";

declare const mb: Medblocks;
declare const transport: Transport;

function neverCalled(): void {
  // @ts-expect-error return_url is required
  void mb.patientSession.init({ patient_id: "u" });
  // @ts-expect-error patient_id is required
  void mb.patientSession.init({ return_url: "https://x.example" });
  // @ts-expect-error connection_id and recommended_connection_ids exclude each other
  void mb.patientSession.init({ patient_id: "u", return_url: "https://x.example", connection_id: "fhirsrc_a", recommended_connection_ids: ["fhirsrc_b"] });
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
  // Under the resources, parts are checked against the operation the id names:
  // @ts-expect-error the webhook path parameter is `id`
  void transport.request("api.getWebhook", "x", { path: { webhook_id: "wh_1" } }, undefined);
  // @ts-expect-error createWebhook's body needs `events`
  void transport.request("api.createWebhook", "x", { body: { url: "https://x.example" } }, undefined);
  // @ts-expect-error listFhirSources takes no `status`
  void transport.request("api.listFhirSources", "x", { query: { status: "active" } }, undefined);
  void status;
}

describe("types", () => {
  it("are the generated ones", () => {
    expectTypeOf<PatientSession>().toEqualTypeOf<components["schemas"]["PatientSession"]>();
    expectTypeOf<PatientSessionInitParams>().toEqualTypeOf<components["schemas"]["PatientSessionInitInput"]>();
    expectTypeOf<PatientDetail>().toEqualTypeOf<components["schemas"]["PatientDetail"]>();
    expectTypeOf<Connection>().toEqualTypeOf<components["schemas"]["FhirSource"]>();
    expectTypeOf<MedblocksErrorCode>().toEqualTypeOf<components["schemas"]["ErrorCode"]>();
    expectTypeOf<MedblocksErrorType>().toEqualTypeOf<components["schemas"]["ErrorType"]>();
  });

  it("type what the methods return", () => {
    expectTypeOf<Awaited<ReturnType<typeof transport.request<"api.getWebhook">>>>().toEqualTypeOf<components["schemas"]["WebhookEndpoint"]>();
    expectTypeOf<Medblocks["patientSession"]["init"]>().returns.resolves.toEqualTypeOf<PatientSession>();
    expectTypeOf<Medblocks["patients"]["retrieve"]>().returns.resolves.toEqualTypeOf<PatientDetail>();
    expectTypeOf<Medblocks["connections"]["list"]>().returns.toEqualTypeOf<ListPromise<Connection>>();
    expectTypeOf<Awaited<ListPromise<Connection>>>().toEqualTypeOf<Page<Connection>>();
    expectTypeOf<Page<Connection>["next_cursor"]>().toEqualTypeOf<string | null>();
    expectTypeOf(parseReturnUrl).returns.toEqualTypeOf<ReturnUrlResult | null>();
    expectTypeOf<Medblocks["patients"]["disconnectConnection"]>().parameter(1).toMatchTypeOf<string | object>();
    expectTypeOf<"conn_1">().toMatchTypeOf<Parameters<Medblocks["patients"]["disconnectConnection"]>[1]>();
    expectTypeOf<PatientDetail["connections"][number]>().toMatchTypeOf<Parameters<Medblocks["patients"]["disconnectConnection"]>[1]>();
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
      expectTypeOf<"resource_not_found">().toMatchTypeOf<typeof caught.code>();
      expectTypeOf<"a_code_from_next_year">().toMatchTypeOf<typeof caught.code>();
    }
    void neverCalled;
  });
});

/**
 * The sandbox's option types take an explicit `undefined` for an option left
 * out, as the client's do, so that `createSandbox({ seed: process.env.SEED })`
 * compiles under `exactOptionalPropertyTypes` (this repository's tsconfig
 * sets it). Checked by tsc through the "types" project; nothing here runs.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  createSandbox,
  startServer,
  type CompleteOptions,
  type DeliveryFault,
  type LaunchOptions,
  type OperationFault,
  type Sandbox,
  type SandboxOptions,
  type ServerOptions,
} from "../src/index.js";

/**
 * The optional keys of `T` that refuse an explicit `undefined`: `never` when
 * every one takes it. (Asked of `{ key: undefined }`, not of `T[K]`: reading
 * an optional key gives `| undefined` whatever the key takes.)
 */
type RefusingUndefined<T> = {
  // biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is how a type asks whether key K is optional.
  [K in keyof T]-?: {} extends Pick<T, K> ? ({ [P in K]: undefined } extends Pick<T, K> ? never : K) : never;
}[keyof T];

declare const sb: Sandbox;

describe("the sandbox's options", () => {
  it("every optional field of every option type takes undefined", () => {
    expectTypeOf<RefusingUndefined<SandboxOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<ServerOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<OperationFault>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<DeliveryFault>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<LaunchOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<CompleteOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RefusingUndefined<NonNullable<Parameters<Sandbox["webhooks"]["flush"]>[0]>>>().toEqualTypeOf<never>();
    expectTypeOf<Parameters<Sandbox["completeSession"]>[1]>().toEqualTypeOf<CompleteOptions | undefined>();
    expectTypeOf<Parameters<Sandbox["visit"]>[1]>().toEqualTypeOf<CompleteOptions | undefined>();
  });

  it("take what the environment gives, as users write it", () => {
    void createSandbox({ seed: process.env.SEED, baseUrl: process.env.SANDBOX_URL, webhookTimeoutMs: process.env.CI ? 20_000 : undefined });
    void startServer({ port: process.env.PORT ? Number(process.env.PORT) : undefined, stateFile: process.env.STATE });
    sb.injectFault({ operation: "api.getPatient", status: 500, times: undefined, retryAfter: undefined });
    sb.injectFault({ delivery: "duplicate", times: undefined });
    void sb.createLaunchContext({ connectionId: "fhirsrc_x", patientId: process.env.PATIENT });
    void sb.completeSession("ps_x", { outcome: undefined, connectionId: process.env.EHR });
    void sb.webhooks.flush({ timeoutMs: undefined });
    // Required fields stay required.
    // @ts-expect-error a launch names its EHR
    void sb.createLaunchContext({ patientId: "u" });
    // @ts-expect-error a fault names its operation or delivery
    sb.injectFault({ times: 1 });
  });
});

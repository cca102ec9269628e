/**
 * The control operations, on one workspace: the same functions behind the
 * in-process `sb.…` methods and the HTTP routes under `/__sandbox/`. Inputs
 * are checked with JSON Schemas in the API's own snake_case; the in-process
 * methods translate their camelCase options (and error `param`s) at the edge.
 */
import { iso, MAX_CLOCK_OFFSET_MS, workspaceNow } from "../domain/clock.js";
import { completeSession, sourceParam, type Completion } from "../domain/sessions.js";
import { OUTCOME_NAMES } from "../domain/outcomes.js";
import { ApiError, invalid, notFound } from "../errors.js";
import { addFault } from "./faults.js";
import type { Core } from "../core.js";
import { fhirPatientId } from "../fhir/generate.js";
import { trigger, TRIGGER_TYPES } from "../domain/trigger.js";
import type { DeliveryFaultRow, FaultRow, SessionRow, WebhookEventType } from "../state/rows.js";
import type { WorkspaceExport } from "../state/store.js";
import type { Workspace } from "../state/workspace.js";
import { lazyValidator } from "../validation/ajv.js";
import { issueError } from "../validation/issues.js";
import { eventObject, launchContextObject, sessionObject, type PatientSession } from "../api/objects.js";
import type { Schemas } from "../spec.js";

/** Largest control body: an exported workspace of tens of thousands of patients fits. */
export const MAX_CONTROL_BODY_BYTES = 256_000_000;

/** Longest single clock advance: ten years. */
export const MAX_ADVANCE_SECONDS = 10 * 365 * 86_400;

const schemas = {
  advance: {
    type: "object",
    required: ["seconds"],
    additionalProperties: false,
    properties: { seconds: { type: "number", minimum: 0, maximum: MAX_ADVANCE_SECONDS } },
  },
  complete: {
    type: "object",
    additionalProperties: false,
    properties: { outcome: { enum: OUTCOME_NAMES }, connection_id: { type: "string", minLength: 1 } },
  },
  trigger: {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties: { type: { enum: TRIGGER_TYPES } },
  },
  launch: {
    type: "object",
    required: ["connection_id"],
    additionalProperties: false,
    properties: {
      connection_id: { type: "string", minLength: 1 },
      patient_id: { $ref: "spec#/components/schemas/PatientId" },
      encounter: { type: ["string", "null"], minLength: 1 },
      fhir_user: { type: ["string", "null"], minLength: 1 },
      scope: { type: ["string", "null"], minLength: 1 },
      status: { enum: ["ready", "pending"] },
    },
  },
};
const validators = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, lazyValidator(schema)])) as {
  [K in keyof typeof schemas]: ReturnType<typeof lazyValidator>;
};

function checked<T>(name: keyof typeof schemas, input: unknown, label: string): T {
  const validate = validators[name]();
  if (!validate(input)) throw issueError(validate.errors!, input, "", label);
  return input as T;
}

/** A completion's options, checked: an outcome the sandbox knows, an EHR named by a string. */
export const checkedCompletion = (input: unknown): Completion => checked<Completion>("complete", input ?? {}, "The completion");

/** Why a control names another workspace's session: the caller used the wrong key's controls. */
const OTHER_WORKSPACE =
  "No such patient session in this workspace: it belongs to another API key's workspace. Complete it there: " +
  "`sb.workspace(key).completeSession(…)` in process, or this route with that key.";

/**
 * The session a control names, by its `ps_` id or by its `url` (a page of
 * this sandbox); a 404 otherwise, which says so when the session is another
 * workspace's (never which: that would print its key).
 */
function namedSession(core: Core, workspace: Workspace, idOrUrl: string): SessionRow {
  const page = `${core.baseUrl}/c/`;
  let found: { workspace: Workspace; session: SessionRow | undefined } | undefined;
  if (idOrUrl.startsWith(page)) {
    found = core.store.sessionByToken(idOrUrl.slice(page.length).split(/[/?#]/)[0]!);
  } else if (/^[a-z][a-z\d+.-]*:/i.test(idOrUrl)) {
    throw new ApiError(
      400,
      "invalid_data",
      `\`id\` must be a session's \`ps_\` id or its \`url\`, a page of this sandbox (${page}…).`,
      "id",
    );
  } else {
    // Other workspaces are looked at only when the caller's has no such session, to say where it is.
    const own = workspace.sessions.get(idOrUrl);
    const elsewhere = own ? undefined : [...core.store.workspaces()].find((each) => each.sessions.get(idOrUrl));
    found = own ? { workspace, session: own } : elsewhere && { workspace: elsewhere, session: elsewhere.sessions.get(idOrUrl) };
  }
  if (!found?.session) throw notFound("patient session");
  if (found.workspace !== workspace) throw new ApiError(404, "resource_not_found", OTHER_WORKSPACE, "id");
  return found.session;
}

/** What `trigger` made happen. */
export interface TriggerResult {
  patient_id: string;
  patient_session_id: string;
  /** The events recorded, one per subscribed endpoint and type; empty when no active endpoint is subscribed. */
  events: Schemas["WebhookEventRecord"][];
}

export interface CompleteResult {
  /** Where the patient's browser lands: `return_url` with the return parameters. */
  return_url: string;
  session: PatientSession;
}

/** The control operations on the workspace of `apiKey`. */
export function workspaceControls(core: Core, apiKey: string) {
  const workspace = () => core.store.workspace(apiKey);
  /** The workspace for a change, once there is room for it: nothing may await between this and `changed`. */
  const writable = () => {
    const ws = workspace();
    core.store.checkRoom(ws);
    return ws;
  };
  const changed = <T>(ws: Workspace, value: T): T => {
    core.changed(ws);
    return value;
  };
  return {
    reset(): void {
      core.store.reset(apiKey);
      core.changed();
    },

    now(): string {
      return iso(workspaceNow(core.time, workspace()));
    },

    advance(input: unknown): string {
      const { seconds } = checked<{ seconds: number }>("advance", input, "The clock advance");
      const ws = writable();
      const offset = ws.clockOffsetMs + Math.round(seconds * 1000);
      if (offset > MAX_CLOCK_OFFSET_MS) {
        const left = Math.floor((MAX_CLOCK_OFFSET_MS - ws.clockOffsetMs) / 1000);
        throw invalid(
          "seconds",
          `would move the workspace's clock more than 100 years (${MAX_CLOCK_OFFSET_MS} ms) ahead of the real time, the limit in ` +
            `all: at most ${left} seconds are left. \`reset\` the workspace to start its clock over.`,
        );
      }
      ws.clockOffsetMs = offset;
      changed(ws, undefined);
      return iso(workspaceNow(core.time, ws));
    },

    /** `idOrUrl`: the session's `ps_` id, or its `url`. */
    completeSession(idOrUrl: string, input: unknown): CompleteResult {
      const completion = checkedCompletion(input);
      const ws = workspace();
      const session = namedSession(core, ws, idOrUrl);
      const now = workspaceNow(core.time, ws);
      const landing = completeSession(ws, session, completion, now, core.baseUrl);
      return changed(ws, { return_url: landing, session: sessionObject(ws, session, now, core.baseUrl) });
    },

    injectFault(input: unknown): FaultRow | DeliveryFaultRow {
      const ws = writable();
      return changed(ws, addFault(ws, input));
    },

    /** The operation faults, then the delivery faults, still queued. */
    faults(): (FaultRow | DeliveryFaultRow)[] {
      const ws = workspace();
      return structuredClone([...ws.faults, ...ws.deliveryFaults]);
    },

    clearFaults(): void {
      const ws = workspace();
      ws.faults = [];
      ws.deliveryFaults = [];
      changed(ws, undefined);
    },

    /**
     * Makes an event of `type` happen as the service would (see
     * domain/trigger.ts) and resolves once its deliveries were attempted
     * (bounded), with the events' records as they then stand.
     */
    async trigger(input: unknown): Promise<TriggerResult> {
      const { type } = checked<{ type: WebhookEventType }>("trigger", input, "The trigger");
      const ws = writable();
      const made = changed(ws, trigger(ws, type, workspaceNow(core.time, ws), core.baseUrl));
      await core.deliveries.settle();
      return { ...made, events: made.events.map(eventObject) };
    },

    /** An EHR launch of your app: the `mb_launch` handle `GET /launch-contexts/{id}` resolves. */
    createLaunchContext(input: unknown): Schemas["LaunchContext"] {
      const options = checked<{
        connection_id: string;
        patient_id?: string;
        encounter?: string | null;
        fhir_user?: string | null;
        scope?: string | null;
        status?: "ready" | "pending";
      }>("launch", input, "The launch");
      const source = sourceParam(options.connection_id, "connection_id");
      const ws = writable();
      const context = ws.launchContexts.insert({
        seq: ws.nextSeq(),
        id: ws.newUuid(),
        status: options.status ?? "ready",
        patient: options.patient_id === undefined ? null : `Patient/${fhirPatientId(options.patient_id, source)}`,
        encounter: options.encounter ?? null,
        fhir_user: options.fhir_user ?? null,
        scope: options.scope === undefined ? "launch openid fhirUser patient/*.read" : options.scope,
        fhir_source: source.id,
        fhir_base_url: source.fhir_base_url,
        created_at: iso(workspaceNow(core.time, ws)),
      });
      return changed(ws, launchContextObject(context));
    },

    exportState(): WorkspaceExport {
      return core.store.exportWorkspace(apiKey);
    },

    importState(data: unknown): void {
      writable();
      core.store.importWorkspace(apiKey, data);
      core.changed();
    },
  };
}

export type WorkspaceControls = ReturnType<typeof workspaceControls>;

/** A 400 for a control request whose body is not JSON. */
export function parseControlBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
  }
}

/**
 * The sandbox as a Hono app: one route per operation of the spec (method and
 * path from the operations table, `{id}` as `:id`), the control routes under
 * `/__sandbox/` with the dashboard beside them (dashboard/routes.ts), the
 * hosted page under `/c/` (page/routes.ts), the API reference at `/docs`
 * (reference.ts), and the service's 404 envelope for anything else. The same
 * app answers the in-process `fetch` and the server; no CORS headers are
 * ever sent.
 */
import { Hono } from "hono";
import { MAX_CONTROL_BODY_BYTES, parseControlBody, workspaceControls, type WorkspaceControls } from "../control/operations.js";
import { dashboardRoutes } from "../dashboard/routes.js";
import { ApiError } from "../errors.js";
import { pageRoutes } from "../page/routes.js";
import { referenceRoutes } from "./reference.js";
import type { Core } from "../core.js";
import { handleOperation, readBody, requestKey, respond } from "./pipeline.js";
import { operationIds, operations } from "../spec.js";

/** `/patients/{id}` → `/patients/:id`. */
export const honoPath = (template: string): string => template.replace(/\{([^}]+)\}/g, ":$1");

type ControlAction = (controls: WorkspaceControls, body: unknown, params: Record<string, string>) => unknown;

/** The control routes: method, template, and what each does to the caller's workspace. */
const CONTROL_ROUTES: [method: string, template: string, action: ControlAction][] = [
  ["POST", "/__sandbox/reset", (controls) => (controls.reset(), { reset: true })],
  ["GET", "/__sandbox/state", (controls) => controls.exportState()],
  ["PUT", "/__sandbox/state", (controls, body) => (controls.importState(body), { imported: true })],
  ["GET", "/__sandbox/clock", (controls) => ({ now: controls.now() })],
  ["POST", "/__sandbox/clock/advance", (controls, body) => ({ now: controls.advance(body) })],
  ["GET", "/__sandbox/faults", (controls) => ({ data: controls.faults() })],
  ["POST", "/__sandbox/faults", (controls, body) => controls.injectFault(body)],
  ["DELETE", "/__sandbox/faults", (controls) => (controls.clearFaults(), { cleared: true })],
  ["POST", "/__sandbox/patient-sessions/{id}/complete", (controls, body, params) => controls.completeSession(params.id!, body)],
  ["POST", "/__sandbox/launch-contexts", (controls, body) => controls.createLaunchContext(body)],
  ["POST", "/__sandbox/webhooks/trigger", (controls, body) => controls.trigger(body)],
];

export function createApp(core: Core): Hono {
  const app = new Hono();
  for (const operationId of operationIds) {
    const { method, path } = operations[operationId];
    app.on(method, honoPath(path), (c) => handleOperation(core, operationId, c.req.raw, c.req.param() as Record<string, string>));
  }
  for (const [method, template, action] of CONTROL_ROUTES) {
    app.on(method, honoPath(template), (c) =>
      respond(core, c.req.raw, template, undefined, async () => {
        const controls = workspaceControls(core, requestKey(core, c.req.raw));
        const body =
          method === "GET" || method === "DELETE" ? undefined : parseControlBody(await readBody(c.req.raw, MAX_CONTROL_BODY_BYTES));
        return action(controls, body, c.req.param() as Record<string, string>);
      }),
    );
  }
  dashboardRoutes(app, core);
  referenceRoutes(app, core);
  pageRoutes(app, core);
  app.notFound((c) =>
    respond(core, c.req.raw, "(no such route)", undefined, () => {
      throw new ApiError(
        404,
        "resource_not_found",
        "No operation of the Medblocks API (or the sandbox's /__sandbox/ control API) answers this method and path.",
        null,
      );
    }),
  );
  // `respond` answers every error but a dropped connection or an abandoned request: the transport (in-process fetch or server) ends those.
  app.onError((error) => {
    throw error;
  });
  return app;
}

/**
 * The handler of each operation, by operationId: what the operation does to
 * the workspace's state. An operation the spec gains before it has a handler
 * here is answered with its documented example (statelessly, as a mock
 * would), so adding an operation to the spec never breaks the sandbox.
 * `/health` is answered without a workspace and is not here.
 */
import type { OperationId } from "../spec.js";
import type { Handler } from "./call.js";
import { getFhirSource, listFhirSources } from "./connections.js";
import { retrieveLaunchContext } from "./launch-contexts.js";
import {
  createPatient,
  deletePatient,
  disconnectPatientConnection,
  getPatient,
  listPatients,
  listPatientSessionsForPatient,
  updatePatient,
} from "./patients.js";
import { getPatientRecords } from "./records.js";
import { initPatientSession, retrievePatientSession } from "./sessions.js";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookEvents,
  listWebhooks,
  redeliverWebhookEvent,
  rotateWebhookSecret,
  updateWebhook,
} from "./webhooks.js";

export const handlers: Partial<Record<Exclude<OperationId, "api.health">, Handler>> = {
  "api.initPatientSession": initPatientSession,
  "api.retrievePatientSession": retrievePatientSession,
  "api.createPatient": createPatient,
  "api.listPatients": listPatients,
  "api.getPatient": getPatient,
  "api.updatePatient": updatePatient,
  "api.deletePatient": deletePatient,
  "api.disconnectPatientConnection": disconnectPatientConnection,
  "api.listPatientSessionsForPatient": listPatientSessionsForPatient,
  "api.getPatientRecords": getPatientRecords,
  "api.listFhirSources": listFhirSources,
  "api.getFhirSource": getFhirSource,
  "api.retrieveLaunchContext": retrieveLaunchContext,
  "api.createWebhook": createWebhook,
  "api.listWebhooks": listWebhooks,
  "api.getWebhook": getWebhook,
  "api.updateWebhook": updateWebhook,
  "api.deleteWebhook": deleteWebhook,
  "api.rotateWebhookSecret": rotateWebhookSecret,
  "api.listWebhookEvents": listWebhookEvents,
  "api.redeliverWebhookEvent": redeliverWebhookEvent,
};

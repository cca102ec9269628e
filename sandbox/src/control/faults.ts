/**
 * Faults on demand, per workspace: the next N calls of an operation answer a
 * given error status (429 always with `Retry-After`), wait first, or lose
 * their connection. Statuses are limited to those the operation declares,
 * so even a fault is a response the spec allows. And the next N webhook
 * deliveries go wrong in the ways a receiver must survive: duplicated, out
 * of order, with a stale timestamp, or with a bad signature.
 */
import { ApiError } from "../errors.js";
import { documentedStatuses, ERROR_STATUSES, isAuthenticated, operationIds, type ErrorCode, type OperationId } from "../spec.js";
import { DELIVERY_FAULT_KINDS, type DeliveryFaultKind, type DeliveryFaultRow, type FaultRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { lazyValidator } from "../validation/ajv.js";
import { issueError } from "../validation/issues.js";

/** A fault as the control API takes it. */
export interface FaultInput {
  /** The operationId, e.g. `api.initPatientSession`. */
  operation: OperationId;
  /** How many calls it applies to (default 1). */
  times?: number;
  /** Answer this error status instead of handling the call. */
  status?: number;
  /** The error code (default: the first the spec's examples show for the status). */
  code?: ErrorCode;
  /** `Retry-After` seconds (a 429 always carries one: default 1). */
  retry_after?: number;
  /** Wait this long before answering (or before dropping). */
  delay_ms?: number;
  /** Drop the connection instead of answering. */
  drop?: boolean;
}

export const MAX_FAULT_DELAY_MS = 60_000;

const inputValidator = lazyValidator({
  type: "object",
  required: ["operation"],
  additionalProperties: false,
  properties: {
    operation: { enum: operationIds.filter(isAuthenticated) },
    times: { type: "integer", minimum: 1, maximum: 1000 },
    status: { type: "integer", minimum: 400, maximum: 599 },
    code: { $ref: "spec#/components/schemas/ErrorCode" },
    retry_after: { type: "integer", minimum: 1, maximum: 3600 },
    delay_ms: { type: "integer", minimum: 0, maximum: MAX_FAULT_DELAY_MS },
    drop: { type: "boolean" },
  },
});

/** A delivery fault as the control API takes it. */
export interface DeliveryFaultInput {
  delivery: DeliveryFaultKind;
  /** How many deliveries it applies to (default 1). */
  times?: number;
}

const deliveryValidator = lazyValidator({
  type: "object",
  required: ["delivery"],
  additionalProperties: false,
  properties: {
    delivery: { enum: DELIVERY_FAULT_KINDS },
    times: { type: "integer", minimum: 1, maximum: 1000 },
  },
});

const refuse = (param: string, message: string) => new ApiError(400, "invalid_data", `\`${param}\` ${message}`, param);

/** Checks a fault (of an operation, or of deliveries when it names `delivery`) and adds it to the workspace's queue. */
export function addFault(workspace: Workspace, input: unknown): FaultRow | DeliveryFaultRow {
  if (typeof input === "object" && input !== null && "delivery" in input) return addDeliveryFault(workspace, input);
  const validate = inputValidator();
  if (!validate(input)) throw issueError(validate.errors!, input, "", "The fault");
  const fault = input as unknown as FaultInput;
  const drop = fault.drop === true;
  if (fault.status === undefined && !drop && !fault.delay_ms)
    throw refuse("status", "is required unless the fault is a `delay_ms` or a `drop`.");
  if (fault.status !== undefined && drop) throw refuse("drop", "cannot be combined with `status`: a dropped connection has no status.");
  if (fault.status === undefined && (fault.code !== undefined || fault.retry_after !== undefined)) {
    throw refuse(fault.code !== undefined ? "code" : "retry_after", "needs a `status`.");
  }
  if (fault.status !== undefined) {
    const declared = documentedStatuses(fault.operation).filter((status) => status >= 400);
    if (!declared.includes(fault.status)) {
      throw refuse("status", `must be one ${fault.operation} declares: ${declared.join(", ")}.`);
    }
    // A code the spec shows only with other statuses would be an answer the service never gives.
    const own = ERROR_STATUSES.get(fault.status)?.codes ?? [];
    if (fault.code !== undefined && !own.includes(fault.code)) {
      const elsewhere = [...ERROR_STATUSES].filter(([, { codes }]) => codes.includes(fault.code!)).map(([status]) => status);
      if (elsewhere.length > 0)
        throw refuse(
          "code",
          `is a ${elsewhere.join(" or ")} code, not a ${fault.status} one: the service answers ${fault.status} with ${own.join(", ")}.`,
        );
    }
    if (fault.retry_after !== undefined && fault.status !== 429)
      throw refuse("retry_after", "goes with status 429 only: the spec declares `Retry-After` on 429 answers.");
  }
  const row: FaultRow = {
    operation: fault.operation,
    remaining: fault.times ?? 1,
    status: fault.status ?? null,
    code: fault.status === undefined ? null : (fault.code ?? ERROR_STATUSES.get(fault.status)?.codes[0] ?? "internal_error"),
    retry_after: fault.retry_after ?? (fault.status === 429 ? 1 : null),
    delay_ms: fault.delay_ms ?? 0,
    drop,
  };
  workspace.faults.push(row);
  return structuredClone(row);
}

function addDeliveryFault(workspace: Workspace, input: unknown): DeliveryFaultRow {
  const validate = deliveryValidator();
  if (!validate(input)) throw issueError(validate.errors!, input, "", "The delivery fault");
  const fault = input as unknown as DeliveryFaultInput;
  const row: DeliveryFaultRow = { delivery: fault.delivery, remaining: fault.times ?? 1 };
  workspace.deliveryFaults.push(row);
  return structuredClone(row);
}

/**
 * The fault for the workspace's next webhook delivery, if one is queued
 * (counting it as used). Faults apply in the order they were queued; one
 * that `accepts` refuses stays queued for a later delivery.
 */
export function takeDeliveryFault(
  workspace: Workspace,
  accepts: (kind: DeliveryFaultKind) => boolean = () => true,
): DeliveryFaultKind | undefined {
  const fault = workspace.deliveryFaults[0];
  if (!fault || !accepts(fault.delivery)) return undefined;
  if (--fault.remaining === 0) workspace.deliveryFaults.shift();
  return fault.delivery;
}

/** The fault for this call of `operationId`, if one is queued (counting it as used). */
export function takeFault(workspace: Workspace, operationId: OperationId): FaultRow | undefined {
  const index = workspace.faults.findIndex((fault) => fault.operation === operationId);
  if (index === -1) return undefined;
  const fault = workspace.faults[index]!;
  if (--fault.remaining === 0) workspace.faults.splice(index, 1);
  return fault;
}

/** Thrown to make the transport drop the connection without answering. */
export class DroppedConnection extends Error {
  override readonly name = "DroppedConnection";
  constructor() {
    super("The sandbox dropped the connection (an injected fault).");
  }
}

/** The error an injected status fault answers with. */
export function faultError(fault: FaultRow): ApiError {
  return new ApiError(
    fault.status!,
    fault.code!,
    `Injected by the sandbox: this call of ${fault.operation} answers ${fault.status} ${fault.code}.`,
    null,
    fault.retry_after,
  );
}

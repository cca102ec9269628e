/**
 * Synthetic FHIR R4 records for one patient at one EHR: deterministic per
 * (patient_id, EHR) — the same pair always gives the same resources — with
 * 50 to 300 of them: the Patient (carrying `urn:medblocks:patient-id`), then
 * encounters in date order, each followed by what was recorded at it.
 * Generated when read and kept in a small cache, never stored in state.
 */
import type { FhirSource } from "../domain/catalog.js";
import { hashWords, nextFloat, nextUint32, type RngState } from "../domain/random.js";
import {
  ALLERGIES,
  CONDITIONS,
  ENCOUNTERS,
  FAMILY_NAMES,
  GIVEN_NAMES,
  MEDICATIONS,
  OBSERVATIONS,
  PROCEDURES,
  SYSTEMS,
  VACCINES,
} from "./codes.js";

export type FhirResource = { resourceType: string; id: string; [field: string]: unknown };

/** The system that carries your `patient_id` on every FHIR Patient resource. */
export const PATIENT_ID_SYSTEM = "urn:medblocks:patient-id";

export const MIN_RECORDS = 50;
export const MAX_RECORDS = 300;

const DAY = 86_400_000;
const HISTORY_START = Date.UTC(2016, 0, 1);
const HISTORY_END = Date.UTC(2025, 11, 31);

const pick = <T>(rng: RngState, items: readonly T[]): T => items[nextUint32(rng) % items.length]!;
const between = (rng: RngState, low: number, high: number) => low + nextFloat(rng) * (high - low);
const coding = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }], text: display });
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();

/** The weighted mix of what an encounter records. */
const KINDS: [kind: string, weight: number][] = [
  ["Observation", 56],
  ["Condition", 10],
  ["MedicationRequest", 12],
  ["Immunization", 9],
  ["Procedure", 8],
  ["AllergyIntolerance", 5],
];
const TOTAL_WEIGHT = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

function kindOf(rng: RngState): string {
  let roll = nextUint32(rng) % TOTAL_WEIGHT;
  for (const [kind, weight] of KINDS) {
    if (roll < weight) return kind;
    roll -= weight;
  }
  return "Observation";
}

/** The generator for a patient at an EHR, after its first draw: how many records they have. */
function start(patientId: string, source: FhirSource): { rng: RngState; total: number } {
  const rng = hashWords(`records\u0000${patientId}\u0000${source.id}`);
  return { rng, total: MIN_RECORDS + (nextUint32(rng) % (MAX_RECORDS - MIN_RECORDS + 1)) };
}

/** How many records `patientId` has at `source`, without making them. */
export const recordCount = (patientId: string, source: FhirSource): number => start(patientId, source).total;

function generate(patientId: string, source: FhirSource): FhirResource[] {
  const { rng, total } = start(patientId, source);
  const tag = nextUint32(rng).toString(16).padStart(8, "0");
  let serial = 0;
  const id = (prefix: string) => `${prefix}-${tag}-${(serial++).toString(36)}`;

  const gender = nextUint32(rng) % 2 === 0 ? "female" : "male";
  const patientRef = `Patient/${id("pat")}`;
  const patient: FhirResource = {
    resourceType: "Patient",
    id: patientRef.slice("Patient/".length),
    identifier: [
      { system: PATIENT_ID_SYSTEM, value: patientId },
      {
        type: coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
        system: `${new URL(source.fhir_base_url).origin}/identifiers/mrn`,
        value: String(10_000_000 + (nextUint32(rng) % 89_999_999)),
      },
    ],
    active: true,
    name: [{ use: "official", family: pick(rng, FAMILY_NAMES), given: [pick(rng, GIVEN_NAMES[gender])] }],
    gender,
    birthDate: isoDate(Date.UTC(1940, 0, 1) + Math.floor(between(rng, 0, 65 * 365)) * DAY),
  };

  const encounterCount = Math.max(3, Math.round((total - 1) / 10));
  const starts = Array.from(
    { length: encounterCount },
    () => HISTORY_START + Math.floor(between(rng, 0, (HISTORY_END - HISTORY_START) / DAY)) * DAY + 9 * 3_600_000,
  ).sort((a, b) => a - b);
  const perEncounter: FhirResource[][] = starts.map(() => []);
  const encounters = starts.map((start, index) => {
    const type = pick(rng, ENCOUNTERS);
    const encounter: FhirResource = {
      resourceType: "Encounter",
      id: id("enc"),
      status: "finished",
      class: { system: SYSTEMS.actCode, code: type.class, display: type.classDisplay },
      type: [coding(SYSTEMS.snomed, type.code, type.display)],
      subject: { reference: patientRef },
      period: { start: isoTime(start), end: isoTime(start + (type.class === "EMER" ? 4 : 0.5) * 3_600_000) },
    };
    perEncounter[index]!.push(encounter);
    return encounter;
  });

  for (let n = 1 + encounterCount; n < total; n++) {
    const at = nextUint32(rng) % encounterCount;
    const encounter = encounters[at]!;
    const when = isoTime(starts[at]! + 15 * 60_000);
    const context = { subject: { reference: patientRef }, encounter: { reference: `Encounter/${encounter.id}` } };
    const kind = kindOf(rng);
    let resource: FhirResource;
    if (kind === "Observation") {
      const test = pick(rng, OBSERVATIONS);
      const value = Number(between(rng, test.low, test.high).toFixed(test.decimals));
      resource = {
        resourceType: "Observation",
        id: id("obs"),
        status: "final",
        category: [coding(SYSTEMS.observationCategory, test.category, test.category === "laboratory" ? "Laboratory" : "Vital Signs")],
        code: coding(SYSTEMS.loinc, test.code, test.display),
        ...context,
        effectiveDateTime: when,
        valueQuantity: { value, unit: test.unit, system: SYSTEMS.ucum, code: test.unit },
      };
    } else if (kind === "Condition") {
      const condition = pick(rng, CONDITIONS);
      const resolved = nextUint32(rng) % 3 === 0;
      resource = {
        resourceType: "Condition",
        id: id("cond"),
        clinicalStatus: coding(SYSTEMS.conditionClinical, resolved ? "resolved" : "active", resolved ? "Resolved" : "Active"),
        verificationStatus: coding(SYSTEMS.conditionVerification, "confirmed", "Confirmed"),
        category: [coding(SYSTEMS.conditionCategory, "encounter-diagnosis", "Encounter Diagnosis")],
        code: coding(SYSTEMS.snomed, condition.code, condition.display),
        ...context,
        onsetDateTime: when,
        recordedDate: when,
      };
    } else if (kind === "MedicationRequest") {
      const medication = pick(rng, MEDICATIONS);
      resource = {
        resourceType: "MedicationRequest",
        id: id("med"),
        status: at >= encounterCount - 2 ? "active" : "completed",
        intent: "order",
        medicationCodeableConcept: coding(SYSTEMS.rxnorm, medication.code, medication.display),
        ...context,
        authoredOn: when,
        dosageInstruction: [
          { text: pick(rng, ["Take one tablet daily", "Take one tablet twice daily", "Use as directed", "Take as needed for pain"]) },
        ],
      };
    } else if (kind === "Immunization") {
      const vaccine = pick(rng, VACCINES);
      resource = {
        resourceType: "Immunization",
        id: id("imm"),
        status: "completed",
        vaccineCode: coding(SYSTEMS.cvx, vaccine.code, vaccine.display),
        patient: { reference: patientRef },
        encounter: context.encounter,
        occurrenceDateTime: when,
        primarySource: true,
      };
    } else if (kind === "Procedure") {
      const procedure = pick(rng, PROCEDURES);
      resource = {
        resourceType: "Procedure",
        id: id("proc"),
        status: "completed",
        code: coding(SYSTEMS.snomed, procedure.code, procedure.display),
        ...context,
        performedDateTime: when,
      };
    } else {
      const allergy = pick(rng, ALLERGIES);
      resource = {
        resourceType: "AllergyIntolerance",
        id: id("alg"),
        clinicalStatus: coding(SYSTEMS.allergyClinical, "active", "Active"),
        verificationStatus: coding(SYSTEMS.allergyVerification, "confirmed", "Confirmed"),
        type: "allergy",
        category: [allergy.category],
        criticality: "low",
        code: coding(SYSTEMS.snomed, allergy.code, allergy.display),
        patient: { reference: patientRef },
        recordedDate: when,
      };
    }
    perEncounter[at]!.push(resource);
  }
  return [patient, ...perEncounter.flat()];
}

const CACHE_SIZE = 64;
const cache = new Map<string, readonly FhirResource[]>();

/** The records of `patientId` at `source`, in their fixed order. */
export function recordsFor(patientId: string, source: FhirSource): readonly FhirResource[] {
  const key = `${patientId}\u0000${source.id}`;
  let records = cache.get(key);
  if (records) {
    cache.delete(key);
  } else {
    records = generate(patientId, source);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, records);
  return records;
}

/** The FHIR id the EHR gives the patient (`Patient/<id>`), as in their records. */
export const fhirPatientId = (patientId: string, source: FhirSource): string => recordsFor(patientId, source)[0]!.id;

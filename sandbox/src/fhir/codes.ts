/**
 * Real codes for the synthetic records, each from its own code system:
 * LOINC for observations, SNOMED CT for conditions, procedures, encounter
 * types and allergies, RxNorm for medications, CVX for immunizations.
 */

export const SYSTEMS = {
  loinc: "http://loinc.org",
  snomed: "http://snomed.info/sct",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  cvx: "http://hl7.org/fhir/sid/cvx",
  ucum: "http://unitsofmeasure.org",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  observationCategory: "http://terminology.hl7.org/CodeSystem/observation-category",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  allergyClinical: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
  allergyVerification: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
} as const;

/** LOINC observations: code, display, category, UCUM unit, and a plausible range. */
export const OBSERVATIONS = [
  { code: "8867-4", display: "Heart rate", category: "vital-signs", unit: "/min", low: 55, high: 100, decimals: 0 },
  { code: "9279-1", display: "Respiratory rate", category: "vital-signs", unit: "/min", low: 12, high: 20, decimals: 0 },
  { code: "8480-6", display: "Systolic blood pressure", category: "vital-signs", unit: "mm[Hg]", low: 100, high: 150, decimals: 0 },
  { code: "8462-4", display: "Diastolic blood pressure", category: "vital-signs", unit: "mm[Hg]", low: 60, high: 95, decimals: 0 },
  { code: "8310-5", display: "Body temperature", category: "vital-signs", unit: "Cel", low: 36.1, high: 37.8, decimals: 1 },
  { code: "29463-7", display: "Body weight", category: "vital-signs", unit: "kg", low: 50, high: 110, decimals: 1 },
  { code: "8302-2", display: "Body height", category: "vital-signs", unit: "cm", low: 150, high: 195, decimals: 1 },
  { code: "39156-5", display: "Body mass index (BMI) [Ratio]", category: "vital-signs", unit: "kg/m2", low: 18.5, high: 35, decimals: 1 },
  {
    code: "59408-5",
    display: "Oxygen saturation in Arterial blood by Pulse oximetry",
    category: "vital-signs",
    unit: "%",
    low: 93,
    high: 100,
    decimals: 0,
  },
  { code: "2339-0", display: "Glucose [Mass/volume] in Blood", category: "laboratory", unit: "mg/dL", low: 70, high: 140, decimals: 0 },
  {
    code: "4548-4",
    display: "Hemoglobin A1c/Hemoglobin.total in Blood",
    category: "laboratory",
    unit: "%",
    low: 4.8,
    high: 7.5,
    decimals: 1,
  },
  {
    code: "2093-3",
    display: "Cholesterol [Mass/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mg/dL",
    low: 140,
    high: 260,
    decimals: 0,
  },
  {
    code: "2571-8",
    display: "Triglyceride [Mass/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mg/dL",
    low: 60,
    high: 220,
    decimals: 0,
  },
  {
    code: "2085-9",
    display: "Cholesterol in HDL [Mass/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mg/dL",
    low: 35,
    high: 80,
    decimals: 0,
  },
  { code: "718-7", display: "Hemoglobin [Mass/volume] in Blood", category: "laboratory", unit: "g/dL", low: 11.5, high: 17, decimals: 1 },
  {
    code: "2160-0",
    display: "Creatinine [Mass/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mg/dL",
    low: 0.6,
    high: 1.3,
    decimals: 2,
  },
  {
    code: "2951-2",
    display: "Sodium [Moles/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mmol/L",
    low: 135,
    high: 145,
    decimals: 0,
  },
  {
    code: "2823-3",
    display: "Potassium [Moles/volume] in Serum or Plasma",
    category: "laboratory",
    unit: "mmol/L",
    low: 3.5,
    high: 5.1,
    decimals: 1,
  },
] as const;

/** SNOMED CT conditions (disorders and findings). */
export const CONDITIONS = [
  { code: "59621000", display: "Essential hypertension (disorder)" },
  { code: "44054006", display: "Diabetes mellitus type 2 (disorder)" },
  { code: "15777000", display: "Prediabetes (finding)" },
  { code: "55822004", display: "Hyperlipidemia (disorder)" },
  { code: "195967001", display: "Asthma (disorder)" },
  { code: "13645005", display: "Chronic obstructive lung disease (disorder)" },
  { code: "40930008", display: "Hypothyroidism (disorder)" },
  { code: "35489007", display: "Depressive disorder (disorder)" },
  { code: "197480006", display: "Anxiety disorder (disorder)" },
  { code: "444814009", display: "Viral sinusitis (disorder)" },
  { code: "10509002", display: "Acute bronchitis (disorder)" },
  { code: "195662009", display: "Acute viral pharyngitis (disorder)" },
  { code: "271737000", display: "Anemia (disorder)" },
  { code: "25064002", display: "Headache (finding)" },
] as const;

/** RxNorm clinical drugs. */
export const MEDICATIONS = [
  { code: "314076", display: "lisinopril 10 MG Oral Tablet" },
  { code: "197361", display: "amlodipine 5 MG Oral Tablet" },
  { code: "310798", display: "hydrochlorothiazide 25 MG Oral Tablet" },
  { code: "860975", display: "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet" },
  { code: "316672", display: "simvastatin 10 MG Oral Tablet" },
  { code: "966222", display: "levothyroxine sodium 0.075 MG Oral Tablet" },
  { code: "745679", display: "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler" },
  { code: "895994", display: "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler" },
  { code: "308182", display: "amoxicillin 250 MG Oral Capsule" },
  { code: "310965", display: "ibuprofen 200 MG Oral Tablet" },
  { code: "313782", display: "acetaminophen 325 MG Oral Tablet" },
] as const;

/** CVX vaccines. */
export const VACCINES = [
  { code: "140", display: "Influenza, seasonal, injectable, preservative free" },
  { code: "115", display: "Tdap" },
  { code: "113", display: "Td (adult) preservative free" },
  { code: "133", display: "Pneumococcal conjugate PCV 13" },
  { code: "33", display: "pneumococcal polysaccharide PPV23" },
  { code: "08", display: "Hep B, adolescent or pediatric" },
  { code: "03", display: "MMR" },
  { code: "21", display: "varicella" },
  { code: "208", display: "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose" },
] as const;

/** SNOMED CT allergies, with the category FHIR gives them. */
export const ALLERGIES = [
  { code: "91936005", display: "Allergy to penicillin (finding)", category: "medication" },
  { code: "91935009", display: "Allergy to peanuts (finding)", category: "food" },
  { code: "300913006", display: "Shellfish allergy (finding)", category: "food" },
  { code: "417532002", display: "Allergy to fish (finding)", category: "food" },
  { code: "300916003", display: "Latex allergy (finding)", category: "environment" },
  { code: "232350006", display: "House dust mite allergy (finding)", category: "environment" },
  { code: "418689008", display: "Allergy to grass pollen (finding)", category: "environment" },
] as const;

/** SNOMED CT procedures. */
export const PROCEDURES = [
  { code: "73761001", display: "Colonoscopy (procedure)" },
  { code: "430193006", display: "Medication reconciliation (procedure)" },
  { code: "171207006", display: "Depression screening (procedure)" },
  { code: "76601001", display: "Intramuscular injection (procedure)" },
  { code: "117015009", display: "Throat culture (procedure)" },
  { code: "80146002", display: "Excision of appendix (procedure)" },
] as const;

/** SNOMED CT encounter types, with their v3 ActCode class. */
export const ENCOUNTERS = [
  { code: "185349003", display: "Encounter for check up (procedure)", class: "AMB", classDisplay: "ambulatory" },
  { code: "185345009", display: "Encounter for symptom (procedure)", class: "AMB", classDisplay: "ambulatory" },
  { code: "162673000", display: "General examination of patient (procedure)", class: "AMB", classDisplay: "ambulatory" },
  { code: "50849002", display: "Emergency room admission (procedure)", class: "EMER", classDisplay: "emergency" },
] as const;

export const GIVEN_NAMES = {
  female: ["Ada", "Beatriz", "Chloe", "Dana", "Elena", "Farah", "Grace", "Hana", "Ines", "Julia", "Keiko", "Lena"],
  male: ["Aaron", "Bruno", "Carlos", "Daniel", "Emeka", "Felix", "Gabriel", "Hugo", "Ivan", "Jonas", "Kenji", "Luca"],
} as const;

export const FAMILY_NAMES = [
  "Abbott",
  "Brennan",
  "Castillo",
  "Dvorak",
  "Eriksen",
  "Fontaine",
  "Garrison",
  "Holloway",
  "Ibarra",
  "Jaffe",
  "Kowalski",
  "Lindqvist",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
] as const;

/**
 * The registration form's state and its rules: filled from a card read, an insurance card or a
 * scanned code, or typed; validated before anything is written, with messages in the UI language.
 */
import {
  checkCitizenIdNumber,
  checkPermanentResidentNumber,
  normaliseDocumentNumber,
  type IdentityDocumentJson,
  type IdNumberProblem,
  type SexCode,
} from '../../core/identity/index.ts';
import type { InsuranceCard } from '../../core/insurance/insurance-card.ts';
import { patientFieldsFromIdentityDocument, validateRecord, type DocumentType, type Patient } from '../../core/records/index.ts';
import type { PatientFields } from '../../services/records/clinic-records.ts';
import type { RegistrationMethod } from '../../sync/protocol/wire.ts';

export type FormSource = 'manual' | 'id-card' | 'insurance-card' | 'scanned-code' | 'search';

export interface RegistrationDraft extends PatientFields {
  source: FormSource;
  /** The card carried a WLT photo (decodable only by a licensed vendor library): show a placeholder. */
  hasCardPhoto: boolean;
  /** What the resident ID card said, when the form was filled from one (registrationMethodOf). */
  cardIdentity?: CardIdentity | undefined;
}

/** The identity fields a resident ID card read vouches for. */
type CardIdentity = Pick<PatientFields, 'name' | 'sex' | 'birthDate' | 'documentType' | 'idNumber'>;
const identityOf = (fields: CardIdentity): CardIdentity => ({
  name: fields.name.trim(),
  sex: fields.sex,
  birthDate: fields.birthDate,
  documentType: fields.documentType,
  idNumber: normaliseDocumentNumber(fields.idNumber),
});

/**
 * How the hub should record this registration (issue 13): 'card-read' only when the identity being
 * registered is exactly what the ID card said; a card read the nurse then corrected by hand, an
 * insurance card, a scanned code or a typed form is 'hand-typed'.
 */
export const registrationMethodOf = (draft: RegistrationDraft): RegistrationMethod => {
  if (draft.source !== 'id-card' || !draft.cardIdentity) return 'hand-typed';
  const card = identityOf(draft.cardIdentity);
  const form = identityOf(draft);
  return (Object.keys(card) as (keyof CardIdentity)[]).every((k) => card[k] === form[k]) ? 'card-read' : 'hand-typed';
};

export const emptyDraft = (): RegistrationDraft => ({
  name: '',
  sex: '1',
  nationCode: '01',
  birthDate: '',
  documentType: 'resident',
  idNumber: '',
  address: '',
  phone: '',
  insuranceCardNumber: '',
  source: 'manual',
  hasCardPhoto: false,
});

/** What a card read puts in the form; the phone the nurse already typed stays. */
export const draftFromIdentityDocument = (doc: IdentityDocumentJson, previous: RegistrationDraft): RegistrationDraft => ({
  ...emptyDraft(),
  phone: previous.phone,
  ...patientFieldsFromIdentityDocument(doc),
  source: 'id-card',
  hasCardPhoto: doc.photoWltBase64.length > 0,
  cardIdentity: identityOf(patientFieldsFromIdentityDocument(doc)),
});

export const draftFromInsuranceCard = (card: InsuranceCard, previous: RegistrationDraft): RegistrationDraft => ({
  ...emptyDraft(),
  phone: previous.phone,
  address: previous.idNumber === card.socialSecurityNumber ? previous.address : '',
  name: card.name,
  sex: card.sexCode,
  nationCode: card.nationCode,
  birthDate: card.birthDate,
  documentType: 'resident',
  idNumber: card.socialSecurityNumber,
  insuranceCardNumber: card.cardNumber,
  source: 'insurance-card',
});

export const draftFromPatient = (p: Patient): RegistrationDraft => ({
  name: p.name,
  sex: p.sex,
  nationCode: p.nationCode,
  birthDate: p.birthDate,
  documentType: p.documentType,
  idNumber: p.idNumber,
  address: p.address,
  phone: p.phone,
  insuranceCardNumber: p.insuranceCardNumber,
  source: 'search',
  hasCardPhoto: false,
});

/** When a typed citizen ID number is valid, birth date and sex follow from it (GB 11643). */
export const withFieldsFromIdNumber = (draft: RegistrationDraft): RegistrationDraft => {
  if (draft.documentType !== 'resident' && draft.documentType !== 'residence-permit') return draft;
  const check = checkCitizenIdNumber(draft.idNumber);
  if (!check.ok) return draft;
  return { ...draft, idNumber: check.idNumber, birthDate: check.birthDate, sex: check.sex === 'male' ? '1' : '2' };
};

/** A problem with one field, as an i18n key plus interpolation values, or a ready bilingual message. */
export type FieldProblem = { key: string; values?: Record<string, string> } | { zh: string; en: string };
export type FormProblems = Partial<Record<keyof PatientFields | 'form', FieldProblem>>;

const idProblem = (problem: IdNumberProblem): FieldProblem => ({ key: `registration.idProblems.${problem}` });

const sexOf = (code: SexCode) => (code === '1' ? 'male' : code === '2' ? 'female' : undefined);

/** Checks the form before saving; an empty result means it may be saved. */
export function validateRegistration(draft: RegistrationDraft, today: Date = new Date()): FormProblems {
  const problems: FormProblems = {};
  if (draft.name.trim() === '') problems.name = { key: 'registration.problems.nameRequired' };
  if (!draft.birthDate) problems.birthDate = { key: 'registration.problems.birthDateRequired' };
  const type: DocumentType = draft.documentType;
  if (type === 'resident' || type === 'residence-permit') {
    const check = checkCitizenIdNumber(draft.idNumber, today);
    if (!check.ok) problems.idNumber = idProblem(check.problem);
    else {
      if (draft.birthDate && draft.birthDate !== check.birthDate) {
        problems.birthDate = { key: 'registration.problems.birthDateMismatch', values: { date: check.birthDate } };
      }
      if (sexOf(draft.sex) !== check.sex) {
        problems.sex = { key: check.sex === 'male' ? 'registration.problems.sexMismatchMale' : 'registration.problems.sexMismatchFemale' };
      }
    }
  } else if (type === 'foreign-permanent-2023') {
    const check = checkPermanentResidentNumber(draft.idNumber);
    if (!check.ok) problems.idNumber = idProblem(check.problem);
  } else if (type !== 'none' && draft.idNumber.trim() === '') {
    problems.idNumber = { key: 'registration.problems.idNumberRequired' };
  }
  if (draft.phone && !/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/.test(draft.phone)) problems.phone = { key: 'registration.problems.phone' };
  if (Object.keys(problems).length > 0) return problems;

  // Last line: the shared record schema, so the form can never save what storage would refuse.
  const outcome = validateRecord('patients', {
    id: 'draft',
    institutionId: 'draft',
    updatedAt: new Date(0).toISOString(),
    ...toPatientFields(draft),
    pinyinInitials: '',
    pinyinFull: '',
    mergedInto: null,
  });
  if (!outcome.ok) {
    for (const issue of outcome.error.issues) {
      const field = (issue.path.split('.')[0] || 'form') as keyof FormProblems;
      problems[field] ??= { zh: issue.messageZh, en: issue.message };
    }
  }
  return problems;
}

export const toPatientFields = (draft: RegistrationDraft): PatientFields => ({
  name: draft.name.trim(),
  sex: draft.sex,
  nationCode: draft.nationCode,
  birthDate: draft.birthDate,
  documentType: draft.documentType,
  idNumber: draft.documentType === 'none' ? '' : normaliseDocumentNumber(draft.idNumber),
  address: draft.address.trim(),
  phone: draft.phone.trim(),
  insuranceCardNumber: draft.insuranceCardNumber.trim(),
});

/**
 * Validation of what the device agent sends, before it touches the form: the agent is another
 * process, so its payloads are checked like any request body. The identity document is checked
 * with core/identity's one schema (well-formed dates, known sex and nation codes, ID numbers that
 * pass their check digits, field lengths of the card's text block); InsuranceCard and ScannedCode
 * have their schemas in core/insurance.
 */
export { identityDocumentJsonSchema } from '../../core/identity/identity-document-schema.ts';

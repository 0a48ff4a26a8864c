/**
 * Pure codec of the social security card family: APDUs and card records (transport independent) and
 * the serial reader framing profile (PROFILE.md). No Node, no DOM: also usable behind PC/SC.
 */
export * from './codec/apdu.ts';
export * from './codec/records.ts';
export * from './codec/read-card.ts';
export * from './codec/reader-frame.ts';

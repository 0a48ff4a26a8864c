/**
 * The named faults every card-reader simulator can play (ID card, social-security card): the
 * failures nurses meet at the desk, so each driver is tested against the same list.
 */
export const cardReaderFaults = [
  'bad-checksum',
  'truncated',
  'silent',
  'garbage-before-preamble',
  'unplugged-mid-frame',
  'no-card',
  'select-failed',
] as const;
export type CardReaderFault = (typeof cardReaderFaults)[number];
export const isCardReaderFault = (value: string): value is CardReaderFault => (cardReaderFaults as readonly string[]).includes(value);

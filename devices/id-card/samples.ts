/**
 * Sample identities the simulator can place on its reader (demo mode, tests, the `sim` CLI).
 * Every person here is invented; numbers are computed with the GB 11643 check so they validate.
 * Photos are synthetic bytes of WLT size, not real WLT images (WLT needs a licensed decoder).
 */
import { mod112CheckCharacter } from '../../core/identity/id-number.ts';
import type { IdentityDocument } from '../../core/identity/identity-document.ts';

const withCheck = (first17: string) => first17 + mod112CheckCharacter(first17);

function syntheticPhoto(seed: number): Uint8Array {
  // A deterministic pseudo-random fill (xorshift) so two samples never share a photo.
  let x = 0x9e3779b9 ^ seed;
  return Uint8Array.from({ length: 1024 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

export interface IdentitySample {
  id: string;
  /** What the demo panel shows (no real person). */
  label: { zh: string; en: string };
  document: IdentityDocument;
}

export const identitySamples: readonly IdentitySample[] = [
  {
    id: 'resident-han-male',
    label: { zh: '居民身份证 · 汉族男性', en: 'Resident card, Han man' },
    document: {
      cardType: 'resident', name: '张建国', sex: '1', nationCode: '01', birthDate: '1968-05-04',
      address: '河南省周口市郸城县城关镇建设路18号', idNumber: withCheck('41162519680504123'),
      issuingAuthority: '郸城县公安局', validity: { from: '2016-08-10', to: '2036-08-10' }, photoWlt: syntheticPhoto(1),
    },
  },
  {
    id: 'resident-uyghur-female',
    label: { zh: '居民身份证 · 维吾尔族女性', en: 'Resident card, Uyghur woman' },
    document: {
      cardType: 'resident', name: '阿依古丽·买买提', sex: '2', nationCode: '05', birthDate: '1992-11-20',
      address: '新疆维吾尔自治区喀什地区疏附县托克扎克镇幸福路6号', idNumber: withCheck('65312119921120046'),
      issuingAuthority: '疏附县公安局', validity: { from: '2012-03-01', to: '2032-03-01' }, photoWlt: syntheticPhoto(2),
    },
  },
  {
    id: 'resident-tibetan-female-additional-address',
    label: { zh: '居民身份证 · 藏族女性（有追加住址）', en: 'Resident card, Tibetan woman, with an additional address' },
    document: {
      cardType: 'resident', name: '卓玛', sex: '2', nationCode: '04', birthDate: '2001-02-28',
      address: '西藏自治区拉萨市城关区北京中路20号', idNumber: withCheck('54010220010228002'),
      issuingAuthority: '拉萨市公安局城关分局', validity: { from: '2019-07-01', to: '2029-07-01' },
      additionalAddress: '西藏自治区林芝市巴宜区八一镇双拥路3号', photoWlt: syntheticPhoto(3),
    },
  },
  {
    id: 'resident-long-term-elder',
    label: { zh: '居民身份证 · 长期有效（老年男性）', en: 'Resident card valid long-term (older man)' },
    document: {
      cardType: 'resident', name: '李德福', sex: '1', nationCode: '03', birthDate: '1941-09-09',
      address: '宁夏回族自治区吴忠市同心县豫海镇清真街2号', idNumber: withCheck('64032419410909031'),
      issuingAuthority: '同心县公安局', validity: { from: '2006-04-15', to: null }, photoWlt: syntheticPhoto(4),
    },
  },
  {
    id: 'resident-expired-zhuang-male',
    label: { zh: '居民身份证 · 已过期（壮族男性）', en: 'Expired resident card (Zhuang man)' },
    document: {
      cardType: 'resident', name: '韦志强', sex: '1', nationCode: '08', birthDate: '1979-12-01',
      address: '广西壮族自治区百色市田阳区那坡镇那坡街5号', idNumber: withCheck('45102119791201017'),
      issuingAuthority: '田阳县公安局', validity: { from: '2004-01-10', to: '2024-01-10' }, photoWlt: syntheticPhoto(5),
    },
  },
  {
    id: 'residence-permit-hong-kong',
    label: { zh: '港澳台居民居住证 · 香港', en: 'Residence permit, Hong Kong resident' },
    document: {
      cardType: 'residence-permit', name: '陈嘉欣', sex: '2', birthDate: '1995-06-18',
      address: '广东省深圳市南山区科技园路1号', idNumber: withCheck('81000019950618002'),
      issuingAuthority: '深圳市公安局南山分局', validity: { from: '2021-05-06', to: '2026-05-06' },
      passNumber: 'H60123456', issueCount: '01', photoWlt: syntheticPhoto(6),
    },
  },
  {
    id: 'foreign-permanent-2017',
    label: { zh: '外国人永久居留身份证（2017版）', en: 'Foreign permanent resident card (2017)' },
    document: {
      cardType: 'foreign-permanent-2017', englishName: 'MILLER, JAMES ROBERT', chineseName: '米勒', sex: '1',
      cardNumber: 'USA110065032801', nationality: 'USA', birthDate: '1965-03-28',
      validity: { from: '2018-10-01', to: '2028-10-01' }, cardVersion: '01', authorityCode: '1100', photoWlt: syntheticPhoto(7),
    },
  },
  {
    id: 'foreign-permanent-2023',
    label: { zh: '外国人永久居留身份证（2023版）', en: 'Foreign permanent resident card (2023)' },
    document: {
      cardType: 'foreign-permanent-2023', chineseName: '安娜', englishName: 'KOWALSKA-WISNIEWSKA, ANNA MARIA KATARZYNA',
      sex: '2', renewalCount: '00', birthDate: '1988-08-08', cardNumber: withCheck('93116161988080800'),
      validity: { from: '2024-01-15', to: '2034-01-15' }, countryCode: 'POL', previousCardLink: '', photoWlt: syntheticPhoto(8),
    },
  },
];

export const DEFAULT_SAMPLE_ID = 'resident-han-male';

export function findIdentitySample(id: string): IdentitySample | undefined {
  return identitySamples.find((sample) => sample.id === id);
}

/**
 * Code tables printed on or stored in Chinese identity cards.
 * Sex: GB/T 2261.1-2003 (个人基本信息分类与代码 第1部分：人的性别代码).
 * Nation: GB 3304-1991 (中国各民族名称的罗马字母拼写法和代码), two ASCII digits on the card.
 */

export const sexCodes = {
  '0': { zh: '未知的性别', en: 'unknown' },
  '1': { zh: '男', en: 'male' },
  '2': { zh: '女', en: 'female' },
  '9': { zh: '未说明的性别', en: 'unspecified' },
} as const;

export type SexCode = keyof typeof sexCodes;

export const isSexCode = (value: string): value is SexCode => Object.hasOwn(sexCodes, value);

/** GB 3304 nation codes 01–56, plus 97 (其他, other) and 98 (外国血统中国籍人士, naturalised of foreign origin). */
export const nationCodes = {
  '01': '汉', '02': '蒙古', '03': '回', '04': '藏', '05': '维吾尔', '06': '苗', '07': '彝', '08': '壮',
  '09': '布依', '10': '朝鲜', '11': '满', '12': '侗', '13': '瑶', '14': '白', '15': '土家', '16': '哈尼',
  '17': '哈萨克', '18': '傣', '19': '黎', '20': '傈僳', '21': '佤', '22': '畲', '23': '高山', '24': '拉祜',
  '25': '水', '26': '东乡', '27': '纳西', '28': '景颇', '29': '柯尔克孜', '30': '土', '31': '达斡尔',
  '32': '仫佬', '33': '羌', '34': '布朗', '35': '撒拉', '36': '毛南', '37': '仡佬', '38': '锡伯', '39': '阿昌',
  '40': '普米', '41': '塔吉克', '42': '怒', '43': '乌孜别克', '44': '俄罗斯', '45': '鄂温克', '46': '德昂',
  '47': '保安', '48': '裕固', '49': '京', '50': '塔塔尔', '51': '独龙', '52': '鄂伦春', '53': '赫哲',
  '54': '门巴', '55': '珞巴', '56': '基诺', '97': '其他', '98': '外国血统中国籍人士',
} as const;

export type NationCode = keyof typeof nationCodes;

/**
 * The nation codes in GB 3304 order, 汉 first. Use this for any list shown to a user: iterating
 * `nationCodes` itself puts '10'…'98' before '01'…'09', since JavaScript orders integer-like keys
 * first, and 汉族 would appear near the bottom.
 */
export const nationCodeList: readonly NationCode[] = (Object.keys(nationCodes) as NationCode[]).sort();

export const isNationCode = (value: string): value is NationCode => Object.hasOwn(nationCodes, value);

/** The name as printed on the card: every nation but 97/98 is printed with the suffix 族. */
export function nationName(code: NationCode): string {
  return code === '97' || code === '98' ? nationCodes[code] : `${nationCodes[code]}族`;
}

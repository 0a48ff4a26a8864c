/**
 * Structured ECG diagnostic statements (心电图诊断术语) for the reading room's report form. The
 * categories follow the AHA/ACC/HRS recommendations for the standardization of ECG interpretation
 * (2007, "standardized statements": overall, rhythm, conduction, axis, hypertrophy, ST-T/ischemia,
 * infarction, other) and the Chinese wording of 《心电图标准化和解析的建议与临床应用国际指南》 and
 * common 中国心电图诊断术语. The codes are this project's own (category prefix + number): stable ids
 * stored in EcgReport.statements[].code, never renumbered, only appended to.
 *
 * `critical` marks statements that are 危急值 (critical values) in the Chinese critical-value lists
 * for ECG: choosing one suggests the critical-finding flag; the cardiologist decides.
 */
export const statementCategories = ['overall', 'rhythm', 'conduction', 'axis', 'hypertrophy', 'st-t', 'infarction', 'other'] as const;
export type StatementCategory = (typeof statementCategories)[number];

export interface EcgStatement {
  code: string;
  category: StatementCategory;
  zh: string;
  en: string;
  critical?: true;
}

type Row = [code: string, zh: string, en: string, critical?: 'critical'];

const rows: Record<StatementCategory, Row[]> = {
  overall: [
    ['GEN-001', '正常心电图', 'Normal ECG'],
    ['GEN-002', '大致正常心电图', 'Otherwise normal ECG'],
    ['GEN-003', '临界心电图', 'Borderline ECG'],
    ['GEN-004', '异常心电图', 'Abnormal ECG'],
    ['GEN-005', '伪差干扰，建议复查', 'Artifact present; repeat recording advised'],
  ],
  rhythm: [
    ['RHY-001', '窦性心律', 'Sinus rhythm'],
    ['RHY-002', '窦性心动过速', 'Sinus tachycardia'],
    ['RHY-003', '窦性心动过缓', 'Sinus bradycardia'],
    ['RHY-004', '窦性心律不齐', 'Sinus arrhythmia'],
    ['RHY-005', '窦性停搏', 'Sinus arrest', 'critical'],
    ['RHY-006', '房性早搏', 'Premature atrial complexes'],
    ['RHY-007', '房性心动过速', 'Atrial tachycardia'],
    ['RHY-008', '心房扑动', 'Atrial flutter'],
    ['RHY-009', '心房颤动', 'Atrial fibrillation'],
    ['RHY-010', '心房颤动伴快速心室率', 'Atrial fibrillation with rapid ventricular response', 'critical'],
    ['RHY-011', '交界性早搏', 'Premature junctional complexes'],
    ['RHY-012', '交界性逸搏心律', 'Junctional escape rhythm'],
    ['RHY-013', '阵发性室上性心动过速', 'Paroxysmal supraventricular tachycardia', 'critical'],
    ['RHY-014', '室性早搏', 'Premature ventricular complexes'],
    ['RHY-015', '频发室性早搏', 'Frequent premature ventricular complexes'],
    ['RHY-016', '室性早搏二联律', 'Ventricular bigeminy'],
    ['RHY-017', '成对室性早搏', 'Ventricular couplets'],
    ['RHY-018', '多源性室性早搏', 'Multifocal premature ventricular complexes'],
    ['RHY-019', 'R on T 室性早搏', 'R-on-T premature ventricular complexes', 'critical'],
    ['RHY-020', '室性心动过速', 'Ventricular tachycardia', 'critical'],
    ['RHY-021', '尖端扭转型室性心动过速', 'Torsades de pointes', 'critical'],
    ['RHY-022', '心室扑动', 'Ventricular flutter', 'critical'],
    ['RHY-023', '心室颤动', 'Ventricular fibrillation', 'critical'],
    ['RHY-024', '室性逸搏心律', 'Ventricular escape rhythm', 'critical'],
    ['RHY-025', '加速性室性自主心律', 'Accelerated idioventricular rhythm'],
    ['RHY-026', '心脏起搏器心律', 'Electronic pacemaker rhythm'],
    ['RHY-027', '心室停搏', 'Ventricular asystole', 'critical'],
  ],
  conduction: [
    ['CON-001', 'I 度房室传导阻滞', 'First-degree AV block'],
    ['CON-002', 'II 度 I 型房室传导阻滞（文氏型）', 'Second-degree AV block, Mobitz I (Wenckebach)'],
    ['CON-003', 'II 度 II 型房室传导阻滞', 'Second-degree AV block, Mobitz II', 'critical'],
    ['CON-004', '2:1 房室传导阻滞', '2:1 AV block'],
    ['CON-005', '高度房室传导阻滞', 'High-grade AV block', 'critical'],
    ['CON-006', 'III 度房室传导阻滞', 'Third-degree (complete) AV block', 'critical'],
    ['CON-007', '完全性右束支传导阻滞', 'Complete right bundle-branch block'],
    ['CON-008', '不完全性右束支传导阻滞', 'Incomplete right bundle-branch block'],
    ['CON-009', '完全性左束支传导阻滞', 'Complete left bundle-branch block'],
    ['CON-010', '不完全性左束支传导阻滞', 'Incomplete left bundle-branch block'],
    ['CON-011', '左前分支传导阻滞', 'Left anterior fascicular block'],
    ['CON-012', '左后分支传导阻滞', 'Left posterior fascicular block'],
    ['CON-013', '双分支传导阻滞', 'Bifascicular block'],
    ['CON-014', '室内传导阻滞', 'Nonspecific intraventricular conduction delay'],
    ['CON-015', '心室预激（WPW 综合征）', 'Ventricular pre-excitation (Wolff-Parkinson-White pattern)'],
    ['CON-016', '短 PR 间期', 'Short PR interval'],
    ['CON-017', '窦房传导阻滞', 'Sinoatrial block'],
  ],
  axis: [
    ['AXS-001', '电轴左偏', 'Left axis deviation'],
    ['AXS-002', '电轴右偏', 'Right axis deviation'],
    ['AXS-003', '电轴极度偏移（不确定电轴）', 'Extreme (indeterminate) axis'],
    ['AXS-004', '顺钟向转位', 'Clockwise rotation'],
    ['AXS-005', '逆钟向转位', 'Counterclockwise rotation'],
  ],
  hypertrophy: [
    ['HYP-001', '左心室高电压', 'Left ventricular high voltage'],
    ['HYP-002', '左心室肥大', 'Left ventricular hypertrophy'],
    ['HYP-003', '左心室肥大伴劳损', 'Left ventricular hypertrophy with strain'],
    ['HYP-004', '右心室肥大', 'Right ventricular hypertrophy'],
    ['HYP-005', '双心室肥大', 'Biventricular hypertrophy'],
    ['HYP-006', '左心房异常', 'Left atrial abnormality'],
    ['HYP-007', '右心房异常（肺型 P 波）', 'Right atrial abnormality (P pulmonale)'],
    ['HYP-008', '肢体导联低电压', 'Low voltage in limb leads'],
  ],
  'st-t': [
    ['STT-001', 'ST 段抬高', 'ST elevation'],
    ['STT-002', 'ST 段压低', 'ST depression'],
    ['STT-003', 'T 波低平', 'Flat T waves'],
    ['STT-004', 'T 波倒置', 'T-wave inversion'],
    ['STT-005', 'T 波高尖', 'Tall peaked T waves'],
    ['STT-006', 'ST-T 改变', 'Nonspecific ST-T changes'],
    ['STT-007', '心肌缺血', 'Myocardial ischemia'],
    ['STT-008', '急性心肌缺血', 'Acute myocardial ischemia', 'critical'],
    ['STT-009', '早期复极', 'Early repolarization'],
    ['STT-010', 'QT 间期延长', 'Prolonged QT interval'],
    ['STT-011', 'QT 间期显著延长（QTc ≥ 550 ms）', 'Markedly prolonged QT interval (QTc ≥ 550 ms)', 'critical'],
    ['STT-012', 'QT 间期缩短', 'Short QT interval'],
    ['STT-013', 'U 波增高', 'Prominent U waves'],
    ['STT-014', '急性心包炎样改变', 'Changes consistent with acute pericarditis'],
  ],
  infarction: [
    ['INF-001', '急性前间壁心肌梗死', 'Acute anteroseptal myocardial infarction', 'critical'],
    ['INF-002', '急性前壁心肌梗死', 'Acute anterior myocardial infarction', 'critical'],
    ['INF-003', '急性广泛前壁心肌梗死', 'Acute extensive anterior myocardial infarction', 'critical'],
    ['INF-004', '急性侧壁心肌梗死', 'Acute lateral myocardial infarction', 'critical'],
    ['INF-005', '急性下壁心肌梗死', 'Acute inferior myocardial infarction', 'critical'],
    ['INF-006', '急性后壁心肌梗死', 'Acute posterior myocardial infarction', 'critical'],
    ['INF-007', '急性右心室心肌梗死', 'Acute right ventricular myocardial infarction', 'critical'],
    ['INF-008', '急性 ST 段抬高型心肌梗死', 'Acute ST-elevation myocardial infarction', 'critical'],
    ['INF-009', '陈旧性前壁心肌梗死', 'Old anterior myocardial infarction'],
    ['INF-010', '陈旧性下壁心肌梗死', 'Old inferior myocardial infarction'],
    ['INF-011', '异常 Q 波', 'Abnormal Q waves'],
  ],
  other: [
    ['OTH-001', '高钾血症心电图改变', 'ECG changes suggesting hyperkalemia', 'critical'],
    ['OTH-002', '低钾血症心电图改变', 'ECG changes suggesting hypokalemia'],
    ['OTH-003', '洋地黄作用', 'Digitalis effect'],
    ['OTH-004', 'Brugada 波', 'Brugada pattern', 'critical'],
    ['OTH-005', '右位心', 'Dextrocardia'],
    ['OTH-006', '起搏器功能异常', 'Pacemaker malfunction', 'critical'],
    ['OTH-007', '导联接错', 'Lead misplacement'],
    ['OTH-008', '建议结合临床', 'Clinical correlation advised'],
    ['OTH-009', '建议与既往心电图比较', 'Comparison with previous ECG advised'],
  ],
};

export const ecgStatements: readonly EcgStatement[] = statementCategories.flatMap((category) =>
  rows[category].map(([code, zh, en, critical]): EcgStatement => ({ code, category, zh, en, ...(critical ? { critical: true as const } : {}) })),
);

const byCode = new Map(ecgStatements.map((s) => [s.code, s]));
export const statementByCode = (code: string): EcgStatement | undefined => byCode.get(code);

/** The text stored with a report statement: the Chinese term (the report's language), English for an English UI. */
export const statementText = (s: EcgStatement, language: string): string => (language.startsWith('en') ? s.en : s.zh);

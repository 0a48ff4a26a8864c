import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { identityDocumentToJson, type IdentityDocument, type IdentityDocumentJson } from '../../core/identity/index.ts';
import { makePatient } from '../../core/records/builders.ts';
import {
  makeCitizenIdNumber,
  makeForeignPermanent2023,
  makeResidencePermit,
  makeResidentCard,
} from '../../tests/fixtures/id-card/builders.ts';
import { createMemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation } from '../testing/render-workstation.tsx';
import { chooseOption, shownOption } from '../testing/antd.ts';
import { RegistrationScreen } from './RegistrationScreen.tsx';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const input = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const cardRead = (document: IdentityDocument = makeResidentCard()) => ({ type: 'identity-document' as const, document: identityDocumentToJson(document) });
const typeInto = (label: string, value: string) => fireEvent.change(input(label), { target: { value } });
/** Types a date into the antd date picker as a nurse does: focus (the calendar opens), type, Tab (commits it). */
const typeDate = (label: string, value: string) => {
  fireEvent.focus(input(label));
  typeInto(label, value);
  fireEvent.keyDown(input(label), { key: 'Tab' });
};
const register = () => fireEvent.click(screen.getByRole('button', { name: '登记并排队' }));

describe('registration screen', () => {
  it('fills the registration form from a resident card in one read', async () => {
    const { devices } = await renderWorkstation(<RegistrationScreen />);
    const card = makeResidentCard();
    act(() => devices.emit(cardRead(card)));
    expect(input('姓名').value).toBe('张三');
    expect(input('证件号码').value).toBe(card.idNumber);
    expect(input('出生日期').value).toBe('1988-03-15');
    expect(input('住址').value).toBe(card.address);
    expect(screen.getByTestId('form-source').textContent).toBe('已读取身份证件');
    // The WLT photo cannot be decoded without the vendor library: a placeholder says so.
    expect(screen.getByTestId('photo-placeholder')).toBeTruthy();
  });

  it('fills the form from a residence permit and from a 2023 foreign permanent resident card', async () => {
    const { devices } = await renderWorkstation(<RegistrationScreen />);
    act(() => devices.emit(cardRead(makeResidencePermit())));
    expect(input('姓名').value).toBe('陈美玲');
    expect(shownOption('证件类型')).toBe('港澳台居民居住证');
    const foreign = makeForeignPermanent2023();
    act(() => devices.emit(cardRead(foreign)));
    expect(input('证件号码').value).toBe(foreign.cardNumber);
    expect(shownOption('证件类型')).toBe('外国人永久居留身份证（2023版）');
  });

  it('ignores a malformed card payload from the agent and says so', async () => {
    const { devices } = await renderWorkstation(<RegistrationScreen />);
    act(() => devices.emit({ type: 'identity-document', document: { cardType: 'resident', name: '' } as unknown as IdentityDocumentJson }));
    expect(screen.getByText('读卡数据无效，请重新读取')).toBeTruthy();
    expect(input('姓名').value).toBe('');
  });

  it('fills name, ID number and card number from a social-security card', async () => {
    const { devices } = await renderWorkstation(<RegistrationScreen />);
    const idNumber = makeCitizenIdNumber({ region: '330102', birth: '19700101', sequence: '022' });
    act(() =>
      devices.emit({
        type: 'insurance-card',
        card: { cardIdentificationCode: 'A'.repeat(32), issueDate: '2020-01-01', expiryDate: '2030-01-01', cardNumber: 'B12345678', socialSecurityNumber: idNumber, name: '李秀英', sexCode: '2', nationCode: '01', birthDate: '1970-01-01' },
      }),
    );
    expect(input('姓名').value).toBe('李秀英');
    expect(input('证件号码').value).toBe(idNumber);
    expect(input('社保卡号').value).toBe('B12345678');
  });

  it('takes the ID number from a scanned code, and explains that an insurance voucher needs the network', async () => {
    const { devices } = await renderWorkstation(<RegistrationScreen />);
    const idNumber = makeCitizenIdNumber({ region: '330102', birth: '19851111', sequence: '013' });
    act(() => devices.emit({ type: 'scanned-code', code: { text: idNumber, symbology: 'unknown', receivedAt: new Date().toISOString() } }));
    expect(input('证件号码').value).toBe(idNumber);
    expect(input('出生日期').value).toBe('1985-11-11');
    act(() => devices.emit({ type: 'scanned-code', code: { text: 'A'.repeat(64), symbology: 'medical-insurance-voucher', receivedAt: new Date().toISOString() } }));
    expect(screen.getByText(/已扫描医保电子凭证，需联网向医保平台核验身份/)).toBeTruthy();
  });

  it('creates the patient, queues a visit with number 1, and shows the ticket only once the writes committed', async () => {
    const repo = createMemoryRepository();
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    act(() => devices.emit(cardRead()));
    await waitFor(() => expect(screen.getByTestId('patient-match').dataset.match).toBe('new'));
    let commit!: () => void;
    repo.holdNextSave(new Promise<void>((resolve) => (commit = resolve)));
    register();
    await waitFor(() => expect(screen.getByRole('button', { name: '正在保存…' })).toBeTruthy());
    expect(screen.getByTestId('registration-outcome').textContent).toBe('');
    expect(repo.all('patients')).toHaveLength(0);
    act(() => commit());
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：张三，排队号 1'));
    expect(repo.all('patients')).toHaveLength(1);
    expect(repo.all('visits')[0]).toMatchObject({ queueNumber: 1, status: 'waiting' });
    expect(screen.getByTestId('queue-number').textContent).toBe('1');
  });

  it('says saved and queued when patient and visit are stored, even if the draft cannot be cleared afterwards', async () => {
    const repo = createMemoryRepository();
    // RxDB's bare storage conflict: the very object that reached the nurse as "[object Object]".
    repo.drafts.remove = () => Promise.reject({ isError: true, status: 409, documentId: 'draft:registration-form' });
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    act(() => devices.emit(cardRead()));
    await waitFor(() => expect(screen.getByTestId('patient-match').dataset.match).toBe('new'));
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：张三，排队号 1。'));
    expect(screen.getByTestId('registration-outcome').textContent).not.toContain('保存失败');
    await waitFor(() => expect(screen.getByText(/登记已保存，但未能清除表单草稿/)).toBeTruthy());
    expect(repo.all('visits')).toHaveLength(1);
  });

  it('says exactly what was saved when the patient is stored but the visit cannot be queued, and queues it on the next press', async () => {
    const repo = createMemoryRepository();
    const save = repo.save.bind(repo);
    let diskFull = true;
    repo.save = ((collection, record) =>
      collection === 'visits' && diskFull ? Promise.reject(new DOMException('quota', 'QuotaExceededError')) : save(collection, record)) as typeof repo.save;
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    act(() => devices.emit(cardRead()));
    await waitFor(() => expect(screen.getByTestId('patient-match').dataset.match).toBe('new'));
    register();
    await waitFor(() =>
      expect(screen.getByTestId('registration-outcome').textContent).toBe(
        '已新建患者档案：张三，但未能加入排队（本机存储空间不足，未能保存。请联系信息科清理磁盘空间。）。请再按一次“登记并排队”。',
      ),
    );
    expect(repo.all('patients')).toHaveLength(1);
    expect(repo.all('visits')).toHaveLength(0);
    // The form is kept, so pressing again queues the visit on the stored patient.
    diskFull = false;
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：张三，排队号 1。已使用已有患者档案。'));
    expect(repo.all('patients')).toHaveLength(1);
    expect(repo.all('visits')).toHaveLength(1);
  });

  it('works from the keyboard: a card read focuses 登记并排队, F9 registers, F2 clears, F3 goes to the search', async () => {
    const repo = createMemoryRepository();
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    expect(screen.getByText('快捷键：Enter 或 F9 登记并排队 · F2 清空 · F3 查找患者')).toBeTruthy();
    act(() => devices.emit(cardRead()));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '登记并排队' })));
    await waitFor(() => expect(screen.getByTestId('patient-match').dataset.match).toBe('new'));
    fireEvent.keyDown(window, { key: 'F9' });
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：张三，排队号 1。'));
    expect(repo.all('visits')).toHaveLength(1);
    typeInto('姓名', '王五');
    fireEvent.keyDown(window, { key: 'F2' });
    expect(input('姓名').value).toBe('');
    fireEvent.keyDown(window, { key: 'F3' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: '查找患者' }));
  });

  it('registers a patient read from the ID card as card-read, and one corrected or typed by hand as hand-typed', async () => {
    const repo = createMemoryRepository();
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    act(() => devices.emit(cardRead(makeResidentCard())));
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：张三'));
    const fromCard = repo.all('patients').find((p) => p.name === '张三')!;
    expect(repo.cardReadIds()).toEqual([fromCard.id]);
    // The card was read, then the nurse changed the name: what is registered is no longer the card's.
    act(() => devices.emit(cardRead(makeResidentCard({ name: '李四', idNumber: makeCitizenIdNumber({ region: '410105', birth: '19880315', sequence: '125' }) }))));
    typeInto('姓名', '李思');
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已保存：李思'));
    expect(repo.cardReadIds()).toEqual([fromCard.id]);
    expect(repo.all('patients')).toHaveLength(2);
  });

  it('uses the existing record for a known ID number instead of creating a duplicate', async () => {
    const repo = createMemoryRepository();
    const card = makeResidentCard();
    await repo.save('patients', makePatient({ name: '张三', idNumber: card.idNumber, birthDate: card.birthDate, sex: '1', phone: '13900000001' }));
    const { devices } = await renderWorkstation(<RegistrationScreen />, { repo });
    act(() => devices.emit(cardRead(card)));
    await waitFor(() => expect(screen.getByTestId('patient-match').dataset.match).toBe('existing'));
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('已使用已有患者档案'));
    expect(repo.all('patients')).toHaveLength(1);
    expect(repo.all('patients')[0]!.phone).toBe('13900000001');
    // Reading the card again the same day does not queue the patient twice.
    act(() => devices.emit(cardRead(card)));
    register();
    await waitFor(() => expect(screen.getByTestId('registration-outcome').textContent).toContain('该患者今日已在队列中，排队号 1'));
    expect(repo.all('visits')).toHaveLength(1);
  });

  it('refuses a typed ID number with a wrong check digit, in Chinese, and writes nothing', async () => {
    const { repo } = await renderWorkstation(<RegistrationScreen />);
    const good = makeCitizenIdNumber({ region: '330102', birth: '19800101', sequence: '011' });
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    typeInto('证件号码', bad);
    typeInto('姓名', '王五');
    typeDate('出生日期', '1980-01-01');
    register();
    expect((await screen.findByRole('alert')).textContent).toBe('证件号码校验位错误，请核对');
    expect(repo.all('patients')).toHaveLength(0);
  });

  it('gives the same refusal in English after the language is switched', async () => {
    const { i18n } = await renderWorkstation(<RegistrationScreen />);
    await act(() => i18n.changeLanguage('en'));
    fireEvent.change(screen.getByLabelText('ID number'), { target: { value: '11010519491231002' } });
    fireEvent.click(screen.getByRole('button', { name: 'Register and queue' }));
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('The ID number must have 18 characters'));
  });

  it('derives birth date and sex from a valid typed number and flags a birth date changed against it', async () => {
    await renderWorkstation(<RegistrationScreen />);
    const female = makeCitizenIdNumber({ region: '330102', birth: '19750612', sequence: '024' });
    typeInto('证件号码', female);
    expect(input('出生日期').value).toBe('1975-06-12');
    expect(shownOption('性别')).toBe('女');
    typeInto('姓名', '赵敏');
    typeDate('出生日期', '1975-06-13');
    register();
    expect((await screen.findByRole('alert')).textContent).toBe('出生日期与证件号码不一致（号码中为 1975-06-12）');
  });

  it('keeps what the nurse typed when the screen is opened again (a reload)', async () => {
    const repo = createMemoryRepository();
    const first = await renderWorkstation(<RegistrationScreen />, { repo });
    typeInto('姓名', '孙丽');
    typeInto('联系电话', '13812345678');
    await waitFor(() => expect(document.querySelector('form')!.dataset.draftState).toBe('saved'));
    first.unmount();
    await renderWorkstation(<RegistrationScreen />, { repo });
    await waitFor(() => expect(input('姓名').value).toBe('孙丽'));
    expect(input('联系电话').value).toBe('13812345678');
    expect(screen.getByText('已恢复未完成的登记')).toBeTruthy();
  });

  it('offers the simulator sample cards in demo mode and places the chosen one', async () => {
    const placed: string[] = [];
    await renderWorkstation(<RegistrationScreen />, {
      demo: true,
      simulator: {
        listSampleCards: async () => [{ id: 'resident-han-male', label: { zh: '居民身份证 · 汉族男性', en: 'Resident card, Han man' } }],
        placeCard: async (id) => void placed.push(id),
        removeCard: async () => undefined,
      },
    });
    const panel = await screen.findByRole('region', { name: '演示：放置卡片' });
    // The first sample is chosen already: one press of 放置 puts it on the reader.
    await waitFor(() => expect(shownOption('示例卡片')).toBe('居民身份证 · 汉族男性'));
    fireEvent.click(within(panel).getByRole('button', { name: '放置' }));
    await waitFor(() => expect(placed).toEqual(['resident-han-male']));
    expect(within(panel).getByTestId('demo-card-on-reader').textContent).toBe('读卡器上：居民身份证 · 汉族男性（放置另一张会先取下这张）');
  });

  it('replaces the card on the reader: the one lying there is lifted before the next is placed', async () => {
    const calls: string[] = [];
    await renderWorkstation(<RegistrationScreen />, {
      demo: true,
      simulator: {
        listSampleCards: async () => [
          { id: 'resident-han-male', label: { zh: '汉族男性', en: 'Han man' } },
          { id: 'resident-uyghur-female', label: { zh: '维吾尔族女性', en: 'Uyghur woman' } },
        ],
        placeCard: async (id) => void calls.push(`place ${id}`),
        removeCard: async (kind) => void calls.push(`lift ${kind}`),
      },
    });
    const panel = await screen.findByRole('region', { name: '演示：放置卡片' });
    // The buttons come with the sample list, which loads after the panel shows.
    await waitFor(() => expect(shownOption('示例卡片')).toBe('汉族男性'));
    expect((within(panel).getByRole('button', { name: '取下卡片' }) as HTMLButtonElement).disabled).toBe(true); // nothing to lift
    fireEvent.click(within(panel).getByRole('button', { name: '放置' }));
    await waitFor(() => expect(calls).toEqual(['place resident-han-male']));
    // The nurse sees the first card lying on the reader before she chooses the next.
    await waitFor(() => expect(within(panel).getByTestId('demo-card-on-reader').textContent).toContain('读卡器上：汉族男性'));
    await chooseOption('示例卡片', '维吾尔族女性');
    fireEvent.click(within(panel).getByRole('button', { name: '放置' }));
    await waitFor(() => expect(within(panel).getByTestId('demo-card-on-reader').textContent).toBe('正在取下上一张卡片，换上新卡…'));
    await waitFor(() => expect(calls).toEqual(['place resident-han-male', 'lift id-card', 'lift insurance-card', 'place resident-uyghur-female']));
    await waitFor(() => expect(within(panel).getByTestId('demo-card-on-reader').textContent).toContain('读卡器上：维吾尔族女性'));
  });

  it('finds a patient by pinyin initials as the nurse types and fills the form from the record', async () => {
    const repo = createMemoryRepository();
    await repo.save('patients', makePatient({ name: '张三', phone: '13700000009' }));
    await repo.save('patients', makePatient({ name: '李四' }));
    await renderWorkstation(<RegistrationScreen />, { repo });
    fireEvent.change(screen.getByRole('searchbox', { name: '查找患者' }), { target: { value: 'zs' } });
    const results = await screen.findByRole('list', { name: '查找结果' });
    expect(within(results).getAllByRole('button').map((b) => b.textContent)).toEqual([expect.stringContaining('张三')]);
    fireEvent.click(within(results).getByRole('button'));
    expect(input('姓名').value).toBe('张三');
    expect(input('联系电话').value).toBe('13700000009');
  });
});

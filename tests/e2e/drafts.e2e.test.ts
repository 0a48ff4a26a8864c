/**
 * "A draft being typed survives a reload" (issue 4), in real Chromium on real IndexedDB: what the
 * nurse typed into the registration form and what the doctor typed into an open visit, neither saved,
 * are both there again after the page reloads (drafts are RxDB local documents, sync/client/drafts.ts).
 */
import { describe, expect, it } from 'vitest';
import { requireSystemDependency } from '../support/system-deps.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { reloadSignedIn } from './support/sign-in.ts';
import { ConsultationPage } from './page-models/consultation-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };

describe.runIf(requireSystemDependency('chromium'))('drafts survive a reload', () => {
  const demo = useFreshDemo();

  it('keeps the unsaved registration form and the unsaved visit record across reloads', async () => {
    const { page } = await demo.openSignedIn('doctor');
    const registration = new RegistrationPage(page);
    const consultation = new ConsultationPage(page);

    // The nurse types half a registration, and the window reloads.
    await registration.open();
    await registration.field('姓名').fill('王小明');
    await registration.field('联系电话').fill('13800138000');
    await registration.field('住址').fill('城关镇建设路 3 号');
    await page.locator('form.registration-form[data-draft-state="saved"]').waitFor();
    await reloadSignedIn(page, 'doctor');
    await registration.open();
    expect(await registration.field('姓名').inputValue()).toBe('王小明');
    expect(await registration.field('联系电话').inputValue()).toBe('13800138000');
    expect(await registration.field('住址').inputValue()).toBe('城关镇建设路 3 号');
    expect(await page.getByText('已恢复未完成的登记').isVisible()).toBe(true);

    // A card completes it; registering clears the draft.
    await registration.placeSampleCard(SAMPLE.id);
    await registration.waitForName(SAMPLE.name);
    expect(await registration.field('联系电话').inputValue()).toBe('13800138000');
    expect(await registration.registerAndQueue()).toContain(`已保存：${SAMPLE.name}`);

    // The doctor writes part of the visit, saves nothing, and the window reloads.
    await consultation.open();
    await consultation.openPatient(SAMPLE.name);
    await consultation.complaint().fill('胸闷两小时');
    await page.getByLabel('收缩压', { exact: true }).fill('150');
    await consultation.addDiagnosis('gxy', 'I10 原发性高血压');
    await page.locator('section.visit-editor[data-draft-state="saved"]').waitFor();
    await reloadSignedIn(page, 'doctor');

    await consultation.open();
    await consultation.openPatient(SAMPLE.name);
    await expect.poll(() => consultation.complaint().inputValue()).toBe('胸闷两小时');
    // The number field shows its restored value a render after the text fields (antd InputNumber).
    await expect.poll(() => page.getByLabel('收缩压', { exact: true }).inputValue()).toBe('150');
    expect(await consultation.diagnoses().textContent()).toContain('I10 原发性高血压');
    expect(await page.getByText('已恢复未保存的病历草稿').isVisible()).toBe(true);

    // The registration form is empty again: its draft went with the registration.
    await registration.open();
    expect(await registration.field('姓名').inputValue()).toBe('');

    // Saved, the visit holds it, and the draft is gone: a reload shows the record, without the notice.
    expect(await consultation.open().then(() => consultation.openPatient(SAMPLE.name)).then(() => consultation.save())).toBe('已保存');
    await page.locator('section.visit-editor[data-draft-state="clean"]').waitFor();
    await reloadSignedIn(page, 'doctor');
    await consultation.open();
    await consultation.openPatient(SAMPLE.name);
    await expect.poll(() => consultation.complaint().inputValue()).toBe('胸闷两小时');
    expect(await page.getByText('已恢复未保存的病历草稿').count()).toBe(0);
  });
});

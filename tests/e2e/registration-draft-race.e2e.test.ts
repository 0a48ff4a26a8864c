/**
 * Issue 19: "保存失败：[object Object]" after a registration that did save. The nurse's typing is kept
 * as a draft written 200 ms after each change; a card placed just before 登记并排队 left that write in
 * flight while the registration removed the draft, and the two writes to the one RxDB local document
 * collided. This drives the real flow in real Chromium on real IndexedDB many times in a row: a draft
 * restored by a reload, a card placed, the button pressed at once — and every time the nurse must be
 * told the truth (saved and queued), the form must be empty and stay empty after the next reload.
 *
 * The repeat count defaults to 10 in `npm test` (a race that hit one run in three shows up in 10 with
 * a probability above 98 %); `E2E_REGISTRATION_REPEAT=50 npm run test:e2e -- registration-draft-race`
 * runs the 50 the issue asks for.
 */
import { describe, expect, it } from 'vitest';
import { requireSystemDependency } from '../support/system-deps.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { reloadSignedIn } from './support/sign-in.ts';
import { RegistrationPage } from './page-models/registration-page.ts';

const REPEAT = Number(process.env.E2E_REGISTRATION_REPEAT ?? 10);

/** Sample cards of the demo agent (devices/id-card/samples.ts), taken in turn. */
const SAMPLES = [
  { id: 'resident-han-male', name: '张建国' },
  { id: 'resident-uyghur-female', name: '阿依古丽·买买提' },
  { id: 'resident-tibetan-female-additional-address', name: '卓玛' },
];

describe.runIf(requireSystemDependency('chromium'))('registering with a restored draft', () => {
  const demo = useFreshDemo();

  it(`reports "saved" and clears the draft every time, ${REPEAT} registrations in a row`, { timeout: 30_000 + REPEAT * 15_000 }, async () => {
    const { page } = await demo.openSignedIn('nurse');
    const registration = new RegistrationPage(page);
    const outcome = registration.outcomeMessage();

    for (let round = 1; round <= REPEAT; round++) {
      const sample = SAMPLES[(round - 1) % SAMPLES.length]!;
      const phone = `1380013${String(round).padStart(4, '0')}`;
      await registration.open();
      await registration.field('联系电话').fill(phone);
      await page.locator('form.registration-form[data-draft-state="saved"]').waitFor();
      await reloadSignedIn(page, 'nurse');
      await registration.open();
      await expect.poll(() => registration.field('联系电话').inputValue()).toBe(phone);

      // The card fills the form (a draft write is now due in 200 ms) and the nurse presses at once.
      await registration.placeSampleCard(sample.id);
      await registration.waitForName(sample.name);
      await page.getByRole('button', { name: '登记并排队' }).click();
      await outcome.waitFor({ timeout: 15_000 });
      const text = (await outcome.textContent()) ?? '';
      expect(text, `round ${round}`).not.toContain('[object Object]');
      expect(await outcome.getAttribute('data-outcome'), `round ${round}: ${text}`).toBe('saved');
      // First time: registered and queued; the same card again later: already in today's queue.
      expect(text, `round ${round}`).toContain(round <= SAMPLES.length ? `已保存：${sample.name}` : '该患者今日已在队列中');
      expect(await registration.field('姓名').inputValue(), `round ${round}`).toBe('');

      // The draft went with the registration: a reload brings back an empty form, not the card.
      await registration.removeCards();
      await reloadSignedIn(page, 'nurse');
      await registration.open();
      expect(await registration.field('姓名').inputValue(), `round ${round}`).toBe('');
      expect(await registration.field('联系电话').inputValue(), `round ${round}`).toBe('');
    }
  });
});

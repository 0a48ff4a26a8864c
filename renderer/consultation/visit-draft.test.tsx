import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, configure, fireEvent, screen, waitFor } from '@testing-library/react';
import { makeClosedVisit, makePatient, makeVisit } from '../../core/records/builders.ts';
import { todayIso } from '../../services/records/clinic-records.ts';
import { createMemoryRepository, type MemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation, testSession } from '../testing/render-workstation.tsx';
import { ConsultationScreen } from './ConsultationScreen.tsx';
import { visitDraftKey, type VisitDraft } from './visit-draft.ts';

afterEach(cleanup);
// Ant Design's CSS-in-JS makes every visibility check of a *ByRole query walk jsdom's computed styles:
// seconds per query on a visit's page. These tests check what is offered and chosen, not visibility.
configure({ defaultHidden: true });
// A whole visit on antd in jsdom: up to 8 s for one test at load 9 on 2 cores (with antd's styles kept
// out of the document, AntdTestRoot); the dom project's 20 s would be tight while CI runs everything.
vi.setConfig({ testTimeout: 60_000 });

async function queuedPatient(repo: MemoryRepository) {
  const patient = await repo.save('patients', makePatient({ name: '张三', institutionId: testSession.institutionId }));
  return repo.save('visits', makeVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 1 }));
}

const editor = () => document.querySelector<HTMLElement>('section.visit-editor');
const complaint = () => screen.getByLabelText('主诉') as HTMLTextAreaElement;

describe('the visit being written survives a reload', () => {
  it('keeps unsaved typing as a draft, restores it when the visit is opened again, and drops it once saved', async () => {
    const repo = createMemoryRepository();
    const visit = await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    fireEvent.click(await screen.findByRole('button', { name: '接诊 张三' }));
    await screen.findByTestId('visit-patient-name');
    fireEvent.change(complaint(), { target: { value: '胸闷两小时' } });
    fireEvent.change(screen.getByLabelText('收缩压'), { target: { value: '150' } });
    fireEvent.change(screen.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' }), { target: { value: 'I10' } });
    fireEvent.click(await screen.findByRole('option', { name: 'I10 原发性高血压' }));
    await waitFor(() => expect(editor()?.dataset.draftState).toBe('saved'));
    // Nothing was saved to the record: only the draft holds the typing.
    expect((await repo.get('visits', visit.id))!.complaint).toBe('');

    cleanup(); // the window goes away (reload, crash)
    await renderWorkstation(<ConsultationScreen />, { repo });
    fireEvent.click(await screen.findByRole('button', { name: '查看 张三' }));
    await waitFor(() => expect(complaint().value).toBe('胸闷两小时'));
    await waitFor(() => expect((screen.getByLabelText('收缩压') as HTMLInputElement).value).toBe('150'));
    expect(screen.getByTestId('diagnoses').textContent).toContain('I10 原发性高血压');
    expect(screen.getByText('已恢复未保存的病历草稿')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(screen.getByTestId('visit-status').textContent).toBe('已保存'));
    expect((await repo.get('visits', visit.id))!).toMatchObject({ complaint: '胸闷两小时', vitals: { systolic: 150 } });
    await waitFor(async () => expect(await repo.drafts.get(visitDraftKey(visit.id))).toBeUndefined());
  });

  it('never applies a draft to a closed visit', async () => {
    const repo = createMemoryRepository();
    const patient = await repo.save('patients', makePatient({ name: '张三', institutionId: testSession.institutionId }));
    const visit = await repo.save('visits', makeClosedVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 1 }));
    const stale: VisitDraft = { complaint: '旧草稿', vitalsText: {}, diagnoses: [], notes: '' };
    await repo.drafts.set(visitDraftKey(visit.id), stale);
    await renderWorkstation(<ConsultationScreen />, { repo });
    fireEvent.click(await screen.findByRole('button', { name: '查看 张三' }));
    await screen.findByText(/本次就诊已结束/);
    expect(complaint().value).toBe(visit.complaint);
    expect(screen.queryByText('已恢复未保存的病历草稿')).toBeNull();
    await waitFor(async () => expect(await repo.drafts.get(visitDraftKey(visit.id))).toBeUndefined());
  });
});

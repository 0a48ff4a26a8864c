import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { makePatient } from '../../core/records/builders.ts';
import { createMemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation } from '../testing/render-workstation.tsx';
import { PatientSearch } from './PatientSearch.tsx';

afterEach(cleanup);

describe('patient search results', () => {
  it('show the ID number masked, and hand the whole record to the form', async () => {
    const repo = createMemoryRepository();
    const patient = await repo.save('patients', makePatient({ name: '张三' }));
    const id = patient.idNumber; // 18 characters: region, birth date, sequence, check
    const picked: string[] = [];
    await renderWorkstation(<PatientSearch onPick={(p) => picked.push(p.idNumber)} />, { repo });
    fireEvent.change(screen.getByRole('searchbox', { name: '查找患者' }), { target: { value: 'zs' } });
    const result = within(await screen.findByRole('list', { name: '查找结果' })).getByRole('button');
    expect(result.textContent).toContain(`${id.slice(0, 6)}********${id.slice(14)}`);
    expect(result.textContent).not.toContain(id.slice(6, 14));
    fireEvent.click(result);
    expect(picked).toEqual([id]);
  });
});

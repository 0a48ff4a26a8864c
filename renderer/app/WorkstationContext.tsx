import { createContext, useContext } from 'react';
import type { AppInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';

export interface WorkstationContextValue {
  api: WorkstationApi;
  info: AppInfo;
}

export const WorkstationContext = createContext<WorkstationContextValue | null>(null);

export function useWorkstation(): WorkstationContextValue {
  const value = useContext(WorkstationContext);
  if (!value) throw new Error('useWorkstation outside <WorkstationContext.Provider>');
  return value;
}

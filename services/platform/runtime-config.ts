/**
 * Where this UI finds the county hub and the local device agent. In browser mode the server that
 * serves the UI (demo launcher, hub) answers ./runtime-config.json; the agent's per-session token
 * travels in the URL fragment (#token=…), which browsers never send to a server, and is kept in
 * sessionStorage so a reload keeps working.
 */
export interface RuntimeConfig {
  hubUrl: string;
  /** ws://127.0.0.1:PORT of the device agent, when one runs on this machine. */
  agentUrl?: string | undefined;
  demo: boolean;
  /** 'center': the ECG center's reading room (served by the hub at /reading-room/); else the clinic workstation. */
  role?: 'clinic' | 'center';
}

const tokenKey = 'clinic-workstation.agent-token';

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    const response = await fetchImpl('./runtime-config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    const body = (await response.json()) as Partial<RuntimeConfig>;
    return {
      hubUrl: typeof body.hubUrl === 'string' ? body.hubUrl : '',
      agentUrl: typeof body.agentUrl === 'string' ? body.agentUrl : undefined,
      demo: body.demo === true,
      role: body.role === 'center' ? 'center' : 'clinic',
    };
  } catch {
    return { hubUrl: '', agentUrl: undefined, demo: false };
  }
}

/** Reads the agent token from the URL fragment once, then from sessionStorage. */
export function agentToken(location: Location = window.location, storage: Storage = sessionStorage): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(tokenKey, fromHash);
    return fromHash;
  }
  return storage.getItem(tokenKey) ?? undefined;
}

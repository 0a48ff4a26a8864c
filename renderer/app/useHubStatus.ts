import { useEffect, useState } from 'react';

export type HubStatus = 'checking' | 'online' | 'offline';

/** Polls the hub's /healthz. Offline is a normal state: the UI keeps working on local records. */
export function useHubStatus(hubUrl: string, intervalMs = 15_000): HubStatus {
  const [status, setStatus] = useState<HubStatus>(hubUrl ? 'checking' : 'offline');
  useEffect(() => {
    if (!hubUrl) return;
    let cancelled = false;
    const check = async () => {
      try {
        const response = await fetch(new URL('/healthz', hubUrl), { signal: AbortSignal.timeout(5000) });
        if (!cancelled) setStatus(response.ok ? 'online' : 'offline');
      } catch {
        if (!cancelled) setStatus('offline');
      }
    };
    void check();
    const timer = setInterval(check, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [hubUrl, intervalMs]);
  return status;
}

/**
 * Names, never ids (issue 14 item 4): the community's institutions and staff by name, from the hub's
 * directory (GET /directory), kept in localStorage so a workstation offline still names the county
 * hospital and the cardiologist who signed. It is reference data (names and roles of staff, no
 * patient data, no usernames). Until it first arrives, an id shows as itself.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import { adminPaths, directorySchema, type Directory } from '../../sync/protocol/admin.ts';

const storageKey = 'clinic-workstation.directory';
const empty: Directory = { institutions: [], people: [] };

export interface Names {
  /** The institution's name, or the id when it is not known here. */
  institution(id: string | null | undefined): string;
  /** The person's display name, or the id when not known here. */
  person(id: string | null | undefined): string;
}

export const namesOf = (directory: Directory): Names => {
  const institutions = new Map(directory.institutions.map((i) => [i.id, i.name]));
  const people = new Map(directory.people.map((p) => [p.id, p.displayName]));
  return {
    institution: (id) => (id ? (institutions.get(id) ?? id) : ''),
    person: (id) => (id ? (people.get(id) ?? id) : ''),
  };
};

export function storedDirectory(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Directory {
  try {
    const parsed = directorySchema.safeParse(JSON.parse(storage?.getItem(storageKey) ?? 'null'));
    return parsed.success ? parsed.data : empty;
  } catch {
    return empty;
  }
}

export async function refreshDirectory(hub: HubConnection, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): Promise<Directory> {
  const directory = await hubJson(hub, adminPaths.directory, directorySchema, { signal: AbortSignal.timeout(15_000) });
  storage?.setItem(storageKey, JSON.stringify(directory));
  return directory;
}

const DirectoryContext = createContext<Names>(namesOf(empty));

export const useNames = (): Names => useContext(DirectoryContext);

/** Gives every screen below the names: the stored directory at once, the hub's when it answers. */
export function DirectoryProvider({ hub, initial, children }: { hub?: HubConnection | null | undefined; initial?: Directory | undefined; children: ReactNode }) {
  const [directory, setDirectory] = useState<Directory>(() => initial ?? storedDirectory());
  useEffect(() => {
    if (!hub) return;
    let live = true;
    // Offline: the stored names stay; the next sign-in refreshes them.
    refreshDirectory(hub).then((d) => live && setDirectory(d), () => undefined);
    return () => {
      live = false;
    };
  }, [hub]);
  const names = useMemo(() => namesOf(directory), [directory]);
  return <DirectoryContext.Provider value={names}>{children}</DirectoryContext.Provider>;
}

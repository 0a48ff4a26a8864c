/**
 * The slice of dcmjs 0.51 (which ships no typings) that the ECG DICOM codec uses.
 * Naturalized datasets are plain objects keyed by DICOM keyword; `_vrMap` overrides a keyword's VR.
 */
declare module 'dcmjs' {
  export type NaturalDataset = Record<string, unknown>;
  export interface DicomDictInstance {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }
  export interface Logger {
    getLevel(): number;
    setLevel(level: number | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent', persist?: boolean): void;
  }
  const dcmjs: {
    log: { getLogger(name: string): Logger };
    data: {
      DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
      DicomMessage: {
        readFile(
          buffer: ArrayBuffer,
          options?: { ignoreErrors?: boolean; untilTag?: string | null; includeUntilTagValue?: boolean; noCopy?: boolean },
        ): DicomDictInstance;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dataset: Record<string, unknown>): NaturalDataset;
        denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
      };
    };
  };
  export default dcmjs;
}

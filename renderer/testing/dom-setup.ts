/**
 * Component tests wait on conditions (findBy…, waitFor), never on time; but Testing Library gives up
 * after 1 s by default, and a lazily loaded screen (the ECG screen and its codecs) can take longer to
 * import on a loaded 2-core CI machine (seen: 1.9 s). The condition is the same, the patience longer.
 */
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5_000 });

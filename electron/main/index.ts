/** Entry point of the Electron main bundle. */
import { startMain } from './main.ts';

startMain();

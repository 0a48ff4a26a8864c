/** The centre dashboard for the reading room (7A places it) and the turnaround calls the reading room makes. */
export { TurnaroundDashboard, type TurnaroundDashboardProps } from './TurnaroundDashboard.tsx';
export { fetchTurnaround, reportStudyOpened } from '../../../services/reading-room/turnaround-api.ts';

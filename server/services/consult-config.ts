/** Settings of the consultation rooms (server/config.ts reads them from AIRDESK_CONSULT_*). */
export interface ConsultConfig {
  /** when the day's consultation opens, 'HH:MM' Beijing (after the guidance issue) */
  open: string;
  /** publication deadline, 'HH:MM' Beijing (HJ 633-2026: before 20:00) */
  deadline: string;
  /** the lead is reminded this many minutes before the deadline if nothing is signed */
  remindMinutes: number;
  /** an emergency cycle's deadline, minutes after it opens */
  emergencyMinutes: number;
  /** during a warning in force, open an emergency cycle this long after the last one closed (0 = only by hand) */
  emergencyEveryMinutes: number;
  /** open today's consultation at start whatever the hour (npm start's demo) */
  openOnStart: boolean;
  checkSeconds: number;
}

export const DEFAULT_CONSULT: Readonly<ConsultConfig> = Object.freeze({
  open: '16:30', deadline: '20:00', remindMinutes: 30, emergencyMinutes: 120, emergencyEveryMinutes: 0, openOnStart: false, checkSeconds: 30,
});

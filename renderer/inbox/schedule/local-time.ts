/** Dates and times as the agent picks them: in the workstation's time zone (the agent's), to and from an instant. */

/** The agent's IANA time zone (Europe/Rome), sent with each instant so the server keeps where it was picked. */
export function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The date and time inputs' values (YYYY-MM-DD, HH:MM) of an instant, in the agent's zone. */
export function pickedOf(at: number): { date: string; time: string } {
  const d = new Date(at);
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** The ISO instant (with Z) of a date and time picked in the agent's zone; null when either is missing or not a real time. */
export function instantOf(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const at = new Date(`${date}T${time}:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

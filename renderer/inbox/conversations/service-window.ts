/** The 24-hour customer-service window: free-form messages only while it is open. */
export type ServiceWindow = { readonly open: true; readonly msLeft: number } | { readonly open: false };

export function serviceWindow(windowClosesAt: number | null, now: number): ServiceWindow {
  if (windowClosesAt === null || windowClosesAt <= now) return { open: false };
  return { open: true, msLeft: windowClosesAt - now };
}

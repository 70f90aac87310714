// What the organisation-wide wireless telemetry operations share: their time limits and the band
// vocabulary their answers use.

/** "The maximum lookback period is 90 days from today" (t0 of the wireless byDevice operations). */
export const WIRELESS_LOOKBACK_SECONDS = 90 * 86_400;

/** The bands the wireless operations name ("Valid bands are: 2.4, 5, and 6"). */
export const WIRELESS_BANDS = ["2.4", "5", "6"] as const;

/** A band as a metric dimension: one of the API's bands, or "other", so a new name cannot add series. */
export function wirelessBandDimension(band: string): string {
  return (WIRELESS_BANDS as readonly string[]).includes(band) ? band : "other";
}

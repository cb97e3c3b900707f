/**
 * The value of one series in a Prometheus text page, matched by name and exactly these labels
 * (in any order); 0 when the series is absent, as Prometheus would treat a counter never incremented.
 */
export function seriesValue(page: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const wanted = Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort()
    .join(',');
  for (const line of page.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const given = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter((pair) => pair !== '')
      .sort()
      .join(',');
    if (given === wanted) return Number(match[3]);
  }
  return 0;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return response.text();
}

import { escapeXml, niceCeiling, svgLineCharts } from './svg-chart';

describe('svgLineCharts', () => {
  it('draws one panel per chart, one line and one legend entry per series, with names escaped', () => {
    const svg = svgLineCharts(
      [
        {
          title: 'Memory',
          unit: 'MiB',
          series: [
            {
              name: 'api <1>',
              points: [
                [0, 10],
                [1, 20],
                [2, 15],
              ],
            },
            {
              name: 'worker',
              points: [
                [0, 5],
                [2, 6],
              ],
            },
          ],
        },
        { title: 'Runs & more', unit: 'runs', series: [{ name: 'none yet', points: [] }] },
      ],
      'minutes',
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g>/g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('api &lt;1&gt;');
    expect(svg).toContain('Runs &amp; more');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('keeps every point inside its panel: the highest value at the top of the axis, the last x at its right end', () => {
    const svg = svgLineCharts(
      [
        {
          title: 'T',
          unit: 'u',
          series: [
            {
              name: 's',
              points: [
                [0, 0],
                [4, 50],
              ],
            },
          ],
        },
      ],
      'x',
    );
    const points = /points="([^"]+)"/
      .exec(svg)![1]!
      .split(' ')
      .map((pair) => pair.split(',').map(Number));
    const [left, bottom] = points[0]!;
    const [right, top] = points[1]!;
    expect(left).toBeLessThan(right!);
    expect(top).toBeLessThan(bottom!);
    // 50 on an axis up to 50: the plot's top edge (a panel's top margin is 34 px).
    expect(top).toBe(34);
  });
});

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 3, 7, 12, 250, 4096].map(niceCeiling)).toEqual([1, 0.5, 1, 5, 10, 20, 500, 5000]);
  });
});

describe('escapeXml', () => {
  it('escapes what would end a text node or an attribute', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});

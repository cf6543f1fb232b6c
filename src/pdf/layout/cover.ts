import { breakLines } from '../measure';
import type { Run } from '../normalise';
import { COLOURS, STYLE, type TextStyle } from '../styles';
import type { FontKey } from '../fonts';
import { LEFT, WIDTH, type Flow } from './flow';

/** Stage: the cover page (bands, logo, title block, who it is for), then a new page. */

function coverStyle(o: {
  size: number;
  font: FontKey;
  colour: string;
  after: number;
  leading?: number;
}): TextStyle {
  return {
    font: o.font,
    size: o.size,
    leading: o.leading ?? 1.25,
    colour: o.colour,
    before: 0,
    after: o.after,
  };
}

export function placeCover(flow: Flow, fields: Record<string, Run[]>): void {
  const c = STYLE.cover;
  const P = STYLE.page;
  flow.page.cover = true;
  const sect = flow.node('Sect', flow.root);
  flow.page.ops.push({
    kind: 'rect',
    x: 0,
    y: 0,
    w: P.width,
    h: c.bandHeight,
    fill: COLOURS.coverBand,
  });
  flow.page.ops.push({
    kind: 'rect',
    x: 0,
    y: P.height - c.bandHeight,
    w: P.width,
    h: c.bandHeight,
    fill: COLOURS.coverBand,
  });
  let y = 70;
  if (flow.opts.logo) {
    const { info, alt } = flow.opts.logo;
    const scale = Math.min(c.logoMaxWidth / info.width, c.logoMaxHeight / info.height, 1);
    const w = info.width * scale;
    const h = info.height * scale;
    flow.page.ops.push({
      kind: 'image',
      x: LEFT,
      y,
      w,
      h,
      struct: flow.node('Figure', sect, { alt }),
    });
  }
  y = c.titleTop;
  const put = (key: string, style: TextStyle, type = 'P') => {
    const runs = fields[key];
    if (!runs?.length) return;
    const struct = flow.node(type, sect);
    const lh = style.size * style.leading;
    for (const line of breakLines(runs, flow.ctx(style, style.font), WIDTH)) {
      flow.drawLine(line, {
        x: LEFT,
        y: y + (lh - style.size) / 2,
        size: style.size,
        colour: style.colour,
        struct,
      });
      y += lh;
    }
    y += style.after;
  };
  put(
    'title',
    coverStyle({
      size: c.titleSize,
      font: 'bold',
      colour: COLOURS.heading,
      after: 10,
      leading: 1.15,
    }),
    'H1',
  );
  put(
    'subtitle',
    coverStyle({ size: c.subtitleSize, font: 'regular', colour: COLOURS.accent, after: 18 }),
  );
  flow.page.ops.push({ kind: 'rect', x: LEFT, y, w: 60, h: 3, fill: COLOURS.accent });
  y += 22;
  put(
    'provider',
    coverStyle({ size: c.providerSize, font: 'bold', colour: COLOURS.text, after: 4 }),
  );
  put(
    'service',
    coverStyle({ size: c.serviceSize, font: 'regular', colour: COLOURS.text, after: 4 }),
  );
  // A one-tier document (a tender) names its tier under the service.
  put('tier', coverStyle({ size: c.serviceSize, font: 'bold', colour: COLOURS.accent, after: 4 }));
  y = Math.max(y + 40, 600);
  put('prepared-for', coverStyle({ size: 12, font: 'bold', colour: COLOURS.text, after: 2 }));
  put(
    'reference',
    coverStyle({ size: c.metaSize, font: 'regular', colour: COLOURS.text, after: 14 }),
  );
  put('date', coverStyle({ size: c.metaSize, font: 'regular', colour: COLOURS.muted, after: 2 }));
  put(
    'version',
    coverStyle({ size: c.metaSize, font: 'regular', colour: COLOURS.muted, after: 2 }),
  );
  put('classification', coverStyle({ size: 11, font: 'bold', colour: COLOURS.text, after: 2 }));
  flow.newPage();
}

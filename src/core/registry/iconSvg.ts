import { IconShape, ModelDefinition } from './types';

function polygon(sides: number, rotate = -90): string {
  const points: string[] = [];
  for (let i = 0; i < sides; i++) {
    const angle = ((rotate + (360 / sides) * i) * Math.PI) / 180;
    points.push(`${(16 + 14 * Math.cos(angle)).toFixed(2)},${(16 + 14 * Math.sin(angle)).toFixed(2)}`);
  }
  return `<polygon points="${points.join(' ')}"`;
}

const shapes: Record<IconShape, string> = {
  circle: '<circle cx="16" cy="16" r="14"',
  hexagon: polygon(6),
  heptagon: polygon(7),
  octagon: polygon(8, -67.5),
  square: '<rect x="3" y="3" width="26" height="26" rx="6"',
  diamond: polygon(4),
  shield: '<path d="M16 2 28 6v9c0 7.5-5.2 12.6-12 15C9.2 27.6 4 22.5 4 15V6z"',
  sail: '<path d="M16 2 27 25H5z"',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The model's icon as SVG text: its own, or a shape in its colours with its glyph. */
export function modelIconSvg(model: ModelDefinition): string {
  if ('svg' in model.icon) {
    return model.icon.svg;
  }
  const glyph = escapeXml(model.icon.glyph.slice(0, 2));
  const size = glyph.length > 1 ? 12 : 15;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    `${shapes[model.icon.shape]} fill="${escapeXml(model.primaryColor)}" stroke="${escapeXml(model.secondaryColor)}" stroke-width="1.5"/>` +
    `<text x="16" y="${glyph.length > 1 ? 20.5 : 21.5}" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-weight="700" font-size="${size}" ` +
    `text-anchor="middle" fill="#ffffff">${glyph}</text></svg>`
  );
}

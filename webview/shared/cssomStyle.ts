import { noChange } from 'lit';
import { Directive, ElementPart, PartInfo, PartType, directive } from 'lit/directive.js';

/**
 * Sets inline style properties through the CSSOM (`element.style.setProperty`), every render.
 * The webview's CSP has no 'unsafe-inline' for styles, which blocks a `style` attribute, and
 * Lit's styleMap writes its first render as that attribute: new rows of a virtual list then
 * lost their position and stacked on top of each other.
 */
class CssomStyle extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssomStyle goes on an element: <div ${cssomStyle({...})}>');
  }

  render(_styles: Readonly<Record<string, string>>): unknown {
    return noChange;
  }

  override update(part: ElementPart, [styles]: [Readonly<Record<string, string>>]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const [property, value] of Object.entries(styles)) style.setProperty(property, value);
    return noChange;
  }
}

export const cssomStyle = directive(CssomStyle);

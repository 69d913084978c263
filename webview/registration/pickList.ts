import { LitElement, html, nothing } from 'lit';
import { cssomStyle } from '../shared/cssomStyle';

export interface PickItem {
  readonly id: string;
  readonly label: string;
  readonly detail?: string;
}

const rowHeight = 24;
const visibleRows = 10;

/**
 * A searchable multi-select over thousands of items: the filter runs over an array (debounced),
 * and only the rows in view are in the page. Keyboard: arrows move, Space or Enter toggles,
 * Home/End jump; the list is a listbox with aria-activedescendant.
 */
export class PickList extends LitElement {
  static override properties = {
    items: { attribute: false },
    selected: { attribute: false },
    label: {},
    query: { state: true },
    active: { state: true },
    top: { state: true },
  };

  items: readonly PickItem[] = [];
  selected: readonly string[] = [];
  label = 'items';
  query = '';
  active = 0;
  top = 0;
  private debounce: number | undefined;
  private filteredFor: { items: readonly PickItem[]; query: string; result: readonly PickItem[] } | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private filtered(): readonly PickItem[] {
    if (this.filteredFor?.items === this.items && this.filteredFor.query === this.query) return this.filteredFor.result;
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    const result = words.length ? this.items.filter((i) => words.every((w) => i.label.toLowerCase().includes(w))) : this.items;
    this.filteredFor = { items: this.items, query: this.query, result };
    return result;
  }

  private onSearch(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => {
      this.query = value;
      this.active = 0;
      this.top = 0;
      const viewport = this.querySelector<HTMLElement>('.pick-viewport');
      if (viewport) viewport.scrollTop = 0;
    }, 120);
  }

  private toggle(id: string): void {
    const selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
    this.dispatchEvent(new CustomEvent('pick-change', { detail: selected, bubbles: true }));
  }

  private onKey(event: KeyboardEvent): void {
    const items = this.filtered();
    if (!items.length) return;
    const move = (to: number) => {
      this.active = Math.max(0, Math.min(items.length - 1, to));
      const viewport = event.currentTarget as HTMLElement;
      const y = this.active * rowHeight;
      if (y < viewport.scrollTop) viewport.scrollTop = y;
      else if (y + rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + rowHeight - viewport.clientHeight;
      this.top = viewport.scrollTop;
    };
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(this.active + 1),
      ArrowUp: () => move(this.active - 1),
      PageDown: () => move(this.active + visibleRows),
      PageUp: () => move(this.active - visibleRows),
      Home: () => move(0),
      End: () => move(items.length - 1),
      ' ': () => this.toggle(items[this.active].id),
      Enter: () => this.toggle(items[this.active].id),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  protected override render(): unknown {
    const items = this.filtered();
    const first = Math.max(0, Math.floor(this.top / rowHeight) - 2);
    const shown = items.slice(first, first + visibleRows + 4);
    const domId = (index: number) => `${this.id || 'pick'}-option-${index}`;
    return html`
      <vscode-textfield class="pick-search" label=${`Search ${this.label}`} placeholder=${`Search ${this.items.length.toLocaleString()} ${this.label}…`} @input=${this.onSearch}>
        <span slot="content-before" class="codicon codicon-search"></span>
      </vscode-textfield>
      <div class="pick-count" aria-live="polite">${items.length.toLocaleString()} of ${this.items.length.toLocaleString()} shown · ${this.selected.length} chosen</div>
      <div
        class="pick-viewport"
        role="listbox"
        aria-multiselectable="true"
        aria-label=${this.label}
        tabindex="0"
        aria-activedescendant=${items.length ? domId(this.active) : nothing}
        ${cssomStyle({ height: `${Math.min(visibleRows, Math.max(items.length, 1)) * rowHeight}px` })}
        @keydown=${this.onKey}
        @scroll=${(e: Event) => (this.top = (e.target as HTMLElement).scrollTop)}
      >
        <div class="pick-spacer" ${cssomStyle({ height: `${items.length * rowHeight}px` })}>
          ${shown.map((item, i) => {
            const index = first + i;
            const chosen = this.selected.includes(item.id);
            return html`<div
              id=${domId(index)}
              role="option"
              aria-selected=${chosen ? 'true' : 'false'}
              class=${`pick-row${index === this.active ? ' active' : ''}${chosen ? ' chosen' : ''}`}
              ${cssomStyle({ top: `${index * rowHeight}px` })}
              @click=${() => {
                this.active = index;
                this.toggle(item.id);
              }}
            >
              <span class=${`codicon ${chosen ? 'codicon-pass-filled' : 'codicon-circle-large'}`} aria-hidden="true"></span>
              <span class="pick-label">${item.label}</span>
              ${item.detail ? html`<span class="pick-detail">${item.detail}</span>` : nothing}
            </div>`;
          })}
        </div>
      </div>
      ${items.length === 0 ? html`<p class="muted">Nothing matches “${this.query}”.</p>` : nothing}
    `;
  }
}

customElements.define('pick-list', PickList);

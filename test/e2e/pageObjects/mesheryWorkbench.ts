import { Locator, Page } from 'playwright-core';

/** What a person sees and does in the workbench, in the terms of this extension. */
export class MesheryWorkbench {
  constructor(readonly page: Page) {}

  activityBarItem(): Locator {
    return this.page.locator('.activitybar [aria-label^="Meshery"]').first();
  }

  /** The unread-count badge on the Meshery activity-bar icon. */
  activityBadge(): Locator {
    return this.page.locator('.activitybar li.action-item:has([aria-label^="Meshery"]) .badge-content');
  }

  async openMesheryContainer(): Promise<void> {
    await this.activityBarItem().waitFor({ timeout: 60_000 });
    const selected = await this.activityBarItem().getAttribute('aria-expanded');
    if (selected !== 'true') {
      await this.activityBarItem().click();
    }
    await this.viewHeader('Notification Center').waitFor();
  }

  /** Collapses a view pane (to give the others room). */
  async collapseView(title: string): Promise<void> {
    const header = this.viewHeader(title);
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }

  viewHeader(title: string): Locator {
    return this.page.locator('.pane-header', { hasText: title }).first();
  }

  /** The body of a view pane, found by its header. */
  viewBody(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).locator('.pane-body');
  }

  /**
   * A row of a view's tree, scrolled into view: trees are virtualized, so rows far down are not
   * in the page until the list is scrolled to them.
   */
  async treeRow(viewTitle: string, text: string, also?: string): Promise<Locator> {
    const body = this.viewBody(viewTitle);
    let row = body.locator('.monaco-list-row', { hasText: text });
    if (also) row = row.filter({ hasText: also });
    const list = body.locator('.monaco-list').first();
    await list.hover();
    for (let i = 0; i < 100 && (await row.count()) === 0; i++) {
      await this.page.mouse.wheel(0, 400);
      await this.page.waitForTimeout(100);
    }
    await row.first().waitFor({ timeout: 5_000 });
    return row.first();
  }

  notificationRows(): Locator {
    return this.viewBody('Notification Center').locator('.monaco-list-row');
  }

  async runCommand(title: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => undefined);
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Picks the quick-pick row with this text (the quick pick a command opened). */
  async pickQuickItem(text: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  /** Accepts the multi-select quick pick with this title as it is (its OK button). */
  async acceptQuickPick(title: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget', { hasText: title });
    await widget.waitFor({ timeout: 15_000 });
    await widget.getByRole('button', { name: 'OK' }).click();
  }

  toast(text: string): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }
}

import { FrameLocator, Locator, Page } from 'playwright-core';

/** The registration panel as a person uses it: its document is two frames deep in the workbench. */
export class RegistrationPanelPage {
  readonly frame: FrameLocator;

  constructor(readonly page: Page) {
    this.frame = page.frameLocator('iframe.webview').last().frameLocator('iframe#active-frame');
  }

  /**
   * Opens the panel from a tree row's "Register Connection…" action. VS Code hands the action its
   * row only while the view still knows that row: when the whole tree was repainted just then, the
   * command gets no row and asks "Register which connection?". The provider repaints the whole
   * tree only when rows come, go or change group (discovery still proposing connections), so a
   * person would see the question and click again; so does this, once, and says so.
   */
  async openFromRow(row: Locator, title: string): Promise<void> {
    const question = this.page.locator('.quick-input-widget input[placeholder="Register which connection?"]');
    for (let attempt = 1; ; attempt++) {
      await row.hover();
      await row.locator('.action-label[aria-label^="Register Connection"]').click();
      const shown = this.waitForPanel(title).then(() => true);
      const asked = question.waitFor({ timeout: 30_000 }).then(() => false);
      // The one that loses the race times out later: nobody waits for that.
      shown.catch(() => undefined);
      asked.catch(() => undefined);
      if (await Promise.race([shown, asked])) return;
      if (attempt === 2) throw new Error('the row\'s Register Connection action asked which connection twice: the row never reached the command');
      console.log('      the tree was repainted under the click (the command got no row); clicking again');
      await this.page.keyboard.press('Escape');
    }
  }

  /**
   * Waits for the panel with this title to be the active editor and its form to be drawn. An
   * earlier panel may still be open: its form would do for the second wait, its tab not.
   */
  async waitForPanel(title: string): Promise<void> {
    await this.page.locator('.tabs-container .tab.active', { hasText: title }).waitFor({ timeout: 30_000 });
    await this.section('metadata').waitFor({ timeout: 30_000 });
  }

  section(id: string): Locator {
    return this.frame.locator(`section#${id}`);
  }

  button(name: string): Locator {
    return this.frame.locator('vscode-button', { hasText: name }).first();
  }

  radio(label: string): Locator {
    return this.frame.locator(`vscode-radio[label="${label}"]`).first();
  }

  /** The inner input of a vscode-textfield (open shadow roots are pierced by CSS locators). */
  input(id: string): Locator {
    return this.frame.locator(`#${id} input`).first();
  }

  async pickMetric(name: string): Promise<void> {
    await this.frame.locator('.pick-search input').fill(name);
    const option = this.frame.getByRole('option', { name, exact: true });
    await option.waitFor({ timeout: 10_000 });
    await this.assertRowsLaidOut();
    if ((await option.getAttribute('aria-selected')) !== 'true') await option.click();
  }

  /** Every row of the metric list in its own place (a row that lost its position is drawn over the first one). */
  async assertRowsLaidOut(): Promise<void> {
    const tops = await this.frame.locator('[role="option"]').evaluateAll((rows) => rows.map((r) => (r as unknown as { offsetTop: number }).offsetTop));
    const distinct = new Set(tops);
    if (distinct.size !== tops.length) throw new Error(`rows of the metric list overlap: their tops are ${tops.join(', ')}`);
  }

  /**
   * Presses Tab (or Shift+Tab) until the element matching the selector has the focus: proof that
   * it is reachable with the keyboard alone.
   */
  async tabTo(selector: string, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
    for (let i = 0; i < (options.max ?? 80); i++) {
      await this.page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
      const focused = await this.frame.locator(':root').evaluate((root, sel) => !!root.ownerDocument.activeElement?.closest(sel), selector);
      if (focused) return;
    }
    throw new Error(`${selector} could not be reached with ${options.backwards ? 'Shift+Tab' : 'Tab'}`);
  }

  /** Moves through a radio group with the arrow keys until the radio with this label is checked. */
  async arrowToRadio(label: string): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const checked = await this.frame.locator(`vscode-radio[label="${label}"]`).first().evaluate((el) => (el as unknown as { checked: boolean }).checked);
      if (checked) return;
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`the radio "${label}" could not be reached with the arrow keys`);
  }

  /** Milliseconds since the panel's own document started loading: our part of the time to open. */
  async pageAgeMs(): Promise<number> {
    return Math.round(await this.frame.locator(':root').evaluate((root) => root.ownerDocument.defaultView!.performance.now()));
  }

  testResult(): Locator {
    return this.frame.locator('.test-result').first();
  }

  outcome(): Locator {
    return this.frame.locator('.outcome').first();
  }
}

import { Locator, Page } from 'playwright-core';

/** The little of the page's DOM that timeToRow uses inside it (the tests compile without the DOM's types). */
interface PageScope {
  document: {
    body: unknown;
    addEventListener(type: string, listener: () => void, capture: boolean): void;
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
  mesheryTiming?: { inputAt: number; rowAt: number };
  mesheryRowTexts?: { texts: [number, string][]; stop(): void };
}

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

  /**
   * Times what a person sees: from the input event the action sends (its click or key press) to
   * the first list row whose text matches `row` being in the page, both stamped inside the page.
   * Playwright's own waits around the action (actionability checks before it, polling after it)
   * add 100 ms or more that no person waits for.
   */
  async timeToRow(action: () => Promise<void>, row: RegExp): Promise<number> {
    await this.page.evaluate(
      ({ source, flags }) => {
        const scope = globalThis as unknown as PageScope;
        const timing = { inputAt: 0, rowAt: 0 };
        scope.mesheryTiming = timing;
        const pattern = new RegExp(source, flags);
        const stamp = () => (timing.inputAt ||= Date.now());
        scope.document.addEventListener('mousedown', stamp, true);
        scope.document.addEventListener('keydown', stamp, true);
        // Text inserted at once (as pasted) comes without a key.
        scope.document.addEventListener('input', stamp, true);
        const observer = new scope.MutationObserver(() => {
          if (!timing.inputAt) return;
          if (Array.from(scope.document.querySelectorAll('.monaco-list-row')).some((r) => pattern.test(r.textContent ?? ''))) {
            timing.rowAt = Date.now();
            observer.disconnect();
          }
        });
        observer.observe(scope.document.body, { childList: true, subtree: true, characterData: true });
      },
      { source: row.source, flags: row.flags },
    );
    await action();
    await this.page.waitForFunction(() => ((globalThis as unknown as PageScope).mesheryTiming?.rowAt ?? 0) > 0, undefined, { timeout: 30_000 });
    return this.page.evaluate(() => {
      const timing = (globalThis as unknown as PageScope).mesheryTiming!;
      return timing.rowAt - timing.inputAt;
    });
  }

  /**
   * Starts noting, inside the page, each text the first list row matching `row` shows and when
   * (Date.now(), the same clock as the test's): what a person sees change, stamped as it is drawn.
   */
  async recordRowTexts(row: RegExp): Promise<void> {
    await this.page.evaluate(
      ({ source, flags }) => {
        const scope = globalThis as unknown as PageScope;
        const pattern = new RegExp(source, flags);
        const texts: [number, string][] = [];
        const note = () => {
          const text = Array.from(scope.document.querySelectorAll('.monaco-list-row'))
            .map((r) => r.textContent ?? '')
            .find((t) => pattern.test(t));
          if (text !== undefined && text !== texts[texts.length - 1]?.[1]) texts.push([Date.now(), text]);
        };
        const observer = new scope.MutationObserver(note);
        observer.observe(scope.document.body, { childList: true, subtree: true, characterData: true });
        note();
        scope.mesheryRowTexts = { texts, stop: () => observer.disconnect() };
      },
      { source: row.source, flags: row.flags },
    );
  }

  /** Stops recordRowTexts and gives what it noted: [when, text] for each text shown, in order. */
  async recordedRowTexts(): Promise<[number, string][]> {
    return this.page.evaluate(() => {
      const recorded = (globalThis as unknown as PageScope).mesheryRowTexts;
      recorded?.stop();
      return recorded?.texts ?? [];
    });
  }

  /**
   * Expands a tree row by clicking it, as a person does, and clicks again if the row did not open:
   * a click that lands while VS Code redraws the row's parent (discovery repaints a cluster's row
   * as its state changes) can be lost.
   */
  async expandRow(row: Locator): Promise<void> {
    for (let attempt = 1; (await row.getAttribute('aria-expanded')) !== 'true'; attempt++) {
      if (attempt > 3) throw new Error(`the row "${await row.textContent()}" did not open after 3 clicks`);
      if (attempt > 1) console.log(`      the row "${await row.textContent()}" did not open on a click; clicking again`);
      await row.click();
      await row.locator('xpath=self::*[@aria-expanded="true"]').waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
  }

  /**
   * Expands a row and returns its child row with this text. VS Code can leave a row it expands
   * empty: when a refresh of the row's parent reaches the extension host between the click and
   * VS Code asking for the children, the extension host no longer knows the row and answers
   * "no children" (seen in fresh-clone runs while the cluster was still changing, once twice in a
   * row). A person closes it, waits a moment and opens it again; so does this, up to three times,
   * and says so.
   */
  async expandToChild(viewTitle: string, row: Locator, text: string, also?: string): Promise<Locator> {
    for (let attempt = 1; ; attempt++) {
      await this.expandRow(row);
      try {
        return await this.treeRow(viewTitle, text, also);
      } catch (error) {
        if (attempt === 3) throw error;
        console.log(`      "${await row.textContent()}" opened without its children; closing and opening it again`);
        await row.click();
        await this.page.waitForTimeout(1_000);
      }
    }
  }

  notificationRows(): Locator {
    return this.viewBody('Notification Center').locator('.monaco-list-row');
  }

  /**
   * Runs a command from the palette. F1 pressed while a quick input is still closing (right after
   * one was accepted) can open a palette that turns inert and hides before the title is typed
   * (seen in the large-cluster e2e): then the palette is closed and opened again.
   */
  async runCommand(title: string): Promise<void> {
    await this.retried(`the command palette did not take "${title}"`, async () => {
      await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => undefined);
      await this.page.keyboard.press('F1');
      await this.page.locator('.quick-input-widget input:focus').waitFor({ timeout: 5_000 });
      await this.page.locator('.quick-input-widget input').fill(`>${title}`, { timeout: 5_000 });
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    });
    await this.page.keyboard.press('Enter');
  }

  /**
   * Runs a command that opens a quick pick and picks its row with this text by typing it; returns
   * when the row was picked. The command runs again when its pick did not take the text: VS Code
   * can hide the pick as the palette closes (its input inert, then gone).
   */
  async runCommandAndPick(title: string, text: string): Promise<number> {
    await this.retried(`${title}'s quick pick did not take "${text}"`, async () => {
      await this.runCommand(title);
      await this.page.locator('.quick-input-widget input').fill(text, { timeout: 10_000 });
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 10_000 });
    });
    await this.page.keyboard.press('Enter');
    return Date.now();
  }

  /** Up to three tries of a step that a quick input may not take; Escape closes it between tries. */
  private async retried(what: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (attempt === 3) throw error;
        console.log(`      ${what} (${String(error).split('\n')[0]}); trying again`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * A row's text once it has stayed the same for `quietMs`: the tree follows typing at most every
   * 220 ms and each refresh crosses to the window, so a row can still show an earlier keystroke's
   * result after a later one is typed.
   */
  async settledText(row: Locator, quietMs = 1_000, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = await row.textContent();
    for (let quietSince = Date.now(); Date.now() - quietSince < quietMs; ) {
      if (Date.now() > deadline) throw new Error(`the row kept changing for ${timeoutMs} ms (last: ${text})`);
      await this.page.waitForTimeout(100);
      const now = await row.textContent();
      if (now !== text) [text, quietSince] = [now, Date.now()];
    }
    return text ?? '';
  }

  /** Opens the Discovered view's filter from the palette: its input, once it is the one showing. */
  async openFilterInput(): Promise<Locator> {
    await this.runCommand('Meshery: Filter Discovered Objects');
    await this.page.locator('.quick-input-widget', { hasText: 'Filter discovered objects' }).waitFor({ timeout: 15_000 });
    // The palette's widget turns into the filter's: keys typed before its input has the focus
    // go nowhere (a fresh-clone run lost the first letter).
    const input = this.page.locator('.quick-input-widget input');
    await this.page.locator('.quick-input-widget input:focus').waitFor({ timeout: 15_000 });
    return input;
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

import { FrameLocator, Locator, Page } from 'playwright-core';

/** The registration panel as a person uses it: its document is two frames deep in the workbench. */
export class RegistrationPanelPage {
  readonly frame: FrameLocator;

  constructor(readonly page: Page) {
    this.frame = page.frameLocator('iframe.webview').last().frameLocator('iframe#active-frame');
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
    if ((await option.getAttribute('aria-selected')) !== 'true') await option.click();
  }

  testResult(): Locator {
    return this.frame.locator('.test-result').first();
  }

  outcome(): Locator {
    return this.frame.locator('.outcome').first();
  }
}

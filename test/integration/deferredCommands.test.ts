import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DeferredCommands } from '../../src/ui/deferredCommands';

/** The activation shell's commands, in the real command registry. */
describe('Commands registered before the services exist', () => {
  let commands: DeferredCommands | undefined;
  afterEach(() => commands?.dispose());

  it('runs a command invoked before its handler arrived once it has', async () => {
    commands = new DeferredCommands(['meshery.test.early']);
    let settled = false;
    const result = vscode.commands.executeCommand<number>('meshery.test.early', 20).then((value) => ((settled = true), value));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(settled, false, 'the command waits for the services');
    commands.take('meshery.test.early', (n: number) => n + 1);
    commands.settle();
    assert.equal(await result, 21);
    assert.equal(await vscode.commands.executeCommand('meshery.test.early', 1), 2, 'later calls go straight to the handler');
  });

  it('says the services could not start to a command that waited for them', async () => {
    commands = new DeferredCommands(['meshery.test.failed']);
    const result = Promise.resolve(vscode.commands.executeCommand('meshery.test.failed'));
    commands.settle(new Error('Meshery could not start: the disk is full'));
    await assert.rejects(result, /Meshery could not start: the disk is full/);
  });

  it('leaves commands it did not register to VS Code, and frees its own on dispose', async () => {
    commands = new DeferredCommands(['meshery.test.owned']);
    assert.equal(commands.take('meshery.test.other', () => 0), undefined);
    commands.dispose();
    const all = await vscode.commands.getCommands();
    assert.equal(all.includes('meshery.test.owned'), false);
  });
});

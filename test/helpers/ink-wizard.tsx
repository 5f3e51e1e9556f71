// The app with no config, rendered with ink-testing-library: the setup
// wizard, driven key by key, each key waiting for the frame it should bring.
import { render } from 'ink-testing-library';
import { AppRoot, openConfiguredWarehouse } from '../../src/ui/app.js';
import { untilReady } from './ink.js';
import { CTRL_U, ENTER } from './keys.js';

export function renderWizard() {
  const app = render(<AppRoot config={null} openWarehouse={openConfiguredWarehouse} />);
  const frame = () => app.lastFrame() ?? '';
  const all = () => app.frames.join('\n');
  const waitFor = (text: string, timeoutMs?: number) => untilReady(() => frame().includes(text), frame, timeoutMs);
  const press = async (key: string, expected: string) => {
    app.stdin.write(key);
    await waitFor(expected);
  };
  /** Types into the text field on screen (replacing what it holds) and submits. */
  const answer = async (text: string, expected: string) => {
    // Ctrl-U and the text in one read, as tmux sends them: the field takes both.
    app.stdin.write(`${CTRL_U}${text}`);
    await waitFor(text);
    await press(ENTER, expected);
  };
  return { app, frame, all, waitFor, press, answer };
}

export type Wizard = ReturnType<typeof renderWizard>;

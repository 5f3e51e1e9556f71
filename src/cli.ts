// Entry point. The signal listeners come first, before commander or any
// command module loads: a Ctrl-C or SIGTERM at any moment of the CLI's life
// gets our handling (a line saying so, exit 130, nothing begun half), never
// Node's default death by signal. Then the program itself (main.ts).
import { armSignals } from './commands/interrupt.js';

armSignals();
await import('./main.js');

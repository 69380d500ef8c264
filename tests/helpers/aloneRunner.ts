// Jest's own runner, told to run its files one at a time in jest's process. Jest runs one runner's files after
// another's, never beside them (TestScheduler), so the files of the `alone` project (jest.config.js) run when no
// other test file is running: their bounds on time are met or missed by the code, not by a neighbour's CPU.
import TestRunner from 'jest-runner';

export default class AloneRunner extends TestRunner {
  override readonly isSerial = true;
}

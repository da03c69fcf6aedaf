import type { Es9Fault, Es9Function } from '../../shared/rsp/es9Fault';

/** The SM-DP+'s fault the bench set (see Es9Fault), as each ES9+ call meets it. */
export class SmdpFaults {
  private fault: Es9Fault = { mode: 'none' };

  set(fault: Es9Fault): Es9Fault {
    this.fault = fault;
    return fault;
  }

  current(): Es9Fault {
    return this.fault;
  }

  /** What a call of `name` meets: the slowness, or the error for its function (spent unless `every`); null: nothing. */
  take(name: Es9Function): Exclude<Es9Fault, { mode: 'none' }> | null {
    const fault = this.fault;
    if (fault.mode === 'none' || (fault.mode === 'error' && fault.function !== name)) return null;
    if (fault.mode === 'error' && !fault.every) this.fault = { mode: 'none' };
    return fault;
  }
}

import { readFile } from 'node:fs/promises';

/** A process's resident memory now (MiB), from /proc/<pid>/status (VmRSS). */
export async function residentMib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** Linux's clock tick for process times (USER_HZ, 100 a second) */
const tickMs = 10;

/** The CPU time (ms) a process has used, user and system, from /proc/<pid>/stat: 10 ms steps. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // (after the command's name, which may hold spaces: utime and stime are the 12th and 13th fields)
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * tickMs;
}

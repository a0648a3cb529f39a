// Benchmark helper processes: spawn a Node script (optionally pinned to one CPU) and call it over the IPC channel.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** A command handler inside a child: gets the payload, resolves with a JSON-serialisable result. */
export type RpcHandlers = Record<string, (payload: Record<string, unknown>) => unknown>;

interface RpcRequest {
  id: number;
  command: string;
  payload: Record<string, unknown>;
}

interface RpcReply {
  id: number;
  result?: unknown;
  error?: string;
}

/** A running helper process. */
export interface RpcChild {
  pid: number;
  call<T>(command: string, payload?: Record<string, unknown>): Promise<T>;
  /** Ends the process (SIGTERM unless told) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

let tasksetWorks: boolean | undefined;

/** `taskset -c CPU` in front of a command when asked and available: "one core" made explicit (Linux). */
export function pinnedCommand(cpu: number | undefined, command: string, args: string[]): { command: string; args: string[] } {
  if (cpu === undefined) return { command, args };
  tasksetWorks ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetWorks ? { command: 'taskset', args: ['-c', String(cpu), command, ...args] } : { command, args };
}

/** Move a running process (all its threads) to one CPU, e.g. a server started by a test helper. */
export function pinRunningProcess(pid: number, cpu: number): void {
  if (canPin()) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** Whether pinning really happens on this machine: taskset works and there are two CPUs (gateway, load). */
export function canPin(): boolean {
  return availableParallelism() >= 2 && pinnedCommand(0, 'true', []).command === 'taskset';
}

/** Start `script` (a compiled .js) with an IPC channel; its stdout goes to our stderr (ours carries the result). */
export function spawnRpcChild(script: string, options: { cpu?: number } = {}): RpcChild {
  const { command, args } = pinnedCommand(options.cpu, process.execPath, [script]);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 2, 2, 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const pending of waiting.values()) pending.reject(new Error(`${script} exited`));
    waiting.clear();
  });
  child.on('message', (message: RpcReply) => {
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) pending?.reject(new Error(message.error));
    else pending?.resolve(message.result);
  });
  return {
    pid: child.pid as number,
    call: <T>(commandName: string, payload: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        nextId += 1;
        waiting.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id: nextId, command: commandName, payload } satisfies RpcRequest);
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Inside the child: answer the parent's calls; the process ends when the parent goes away. */
export function serveRpc(handlers: RpcHandlers): void {
  process.on('message', (request: RpcRequest) => {
    const handler = handlers[request.command];
    const reply = (message: Omit<RpcReply, 'id'>) => process.send?.({ id: request.id, ...message });
    if (!handler) return void reply({ error: `unknown command ${request.command}` });
    Promise.resolve()
      .then(() => handler(request.payload))
      .then(
        (result) => reply({ result: result ?? null }),
        (error: unknown) => reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

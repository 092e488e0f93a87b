// The script of a vCPU worker that run() starts (a guest thread beyond the first): the worker of
// the tsemu commands, for the arch its workerData names.
import { workerData } from 'node:worker_threads';
import { runVcpuWorker, type VcpuWorkerData } from '../cli/user-mode.js';
import { USER_ARCHES, type ArchName } from './arches.js';

const data = workerData as VcpuWorkerData & { arch: ArchName };
runVcpuWorker(USER_ARCHES[data.arch], data);

export { FakeGraph, type FakeCall, type FakeCallCounts, type FakeGraphOptions } from './server.js';
export type { FaultRule, TransportFault } from './faults.js';
export type { FakeRequest, FakeResponse } from './http.js';
export { DEMO_GROUP_ID } from './store.js';
export type { ChaosOptions } from './chaos.js';

// Every fake AWS service, from one list: the `npm run fake-aws` server and the
// tests build the same set here.
import { createDataApiService, type DataApiFakeOptions } from './data-api.js';
import type { FakeService } from './server.js';

export interface FakeAwsOptions {
  dataApi?: DataApiFakeOptions;
}

export function createAllServices(options: FakeAwsOptions = {}): FakeService[] {
  return [
    createDataApiService(options.dataApi),
  ];
}

// Every fake AWS service, from one list: the `npm run fake-aws` server and the
// tests build the same set here.
import { createDataApiService, type DataApiFakeOptions } from './data-api.js';
import type { ControlPlaneOptions } from './control-plane.js';
import { createControlPlaneServices } from './control-plane-services.js';
import type { FakeService } from './server.js';

export interface FakeAwsOptions {
  dataApi?: DataApiFakeOptions;
  /** Redshift clusters, IAM, STS and Redshift Serverless. */
  controlPlane?: ControlPlaneOptions;
}

export function createAllServices(options: FakeAwsOptions = {}): FakeService[] {
  return [
    createDataApiService(options.dataApi),
    ...createControlPlaneServices(options.controlPlane),
  ];
}

// Every fake AWS service, from one list: the `npm run fake-aws` server and the
// tests build the same set here.
import { createDataApiService, type DataApiFakeOptions } from './data-api.js';
import { ControlPlaneState, type ControlPlaneOptions } from './control-plane.js';
import { clusterForDataApi } from './control-plane-redshift.js';
import { createControlPlaneServices } from './control-plane-services.js';
import type { FakeService } from './server.js';

export interface FakeAwsOptions {
  dataApi?: DataApiFakeOptions;
  /** Redshift clusters, IAM, STS and Redshift Serverless. */
  controlPlane?: ControlPlaneOptions;
  /** The Data API answers only for the control plane's clusters, in their states, with their IAM roles. */
  clustersFromControlPlane?: boolean;
}

export function createAllServices(options: FakeAwsOptions = {}): FakeService[] {
  const state = new ControlPlaneState(options.controlPlane);
  const clusters = options.clustersFromControlPlane ? { clusters: (identifier: string) => clusterForDataApi(state, identifier) } : {};
  return [
    createDataApiService({ ...options.dataApi, ...clusters }),
    ...createControlPlaneServices(options.controlPlane, state),
  ];
}

// Every fake AWS service (the Data API, S3 and the control plane), from one
// list: the `npm run fake-aws` server and the tests build the same set here.
import { createDataApiService, type DataApiFakeOptions } from './data-api.js';
import { ControlPlaneState, type ControlPlaneOptions } from './control-plane.js';
import { clusterForDataApi } from './control-plane-redshift.js';
import { createControlPlaneServices } from './control-plane-services.js';
import { S3Fake, type S3FakeOptions } from './s3.js';
import type { FakeService } from './server.js';

export interface FakeAwsOptions {
  dataApi?: DataApiFakeOptions;
  /** S3 over the same buckets as the Data API's COPY unless it names its own. */
  s3?: S3FakeOptions;
  /** Redshift clusters, IAM, STS and Redshift Serverless. */
  controlPlane?: ControlPlaneOptions;
  /** Clusters there are from the start, available. */
  clusters?: { identifier: string; iamRoles: string[] }[];
}

export function createAllServices(options: FakeAwsOptions = {}): FakeService[] {
  const state = new ControlPlaneState(options.controlPlane);
  for (const { identifier, iamRoles } of options.clusters ?? []) state.addCluster(identifier, { iamRoles });
  // The Data API answers only for the control plane's clusters, in their states, with their IAM roles.
  return [
    createDataApiService({
      clusters: (identifier: string) => clusterForDataApi(state, identifier),
      workgroupDatabase: (name: string) => state.namespaces.get(state.workgroups.get(name)?.namespaceName ?? '')?.dbName,
      ...options.dataApi,
    }),
    new S3Fake({ buckets: options.dataApi?.buckets, ...options.s3 }),
    ...createControlPlaneServices(options.controlPlane, state),
  ];
}

/** The control plane's state among `services` (its clusters, workgroups, roles and clock). */
export function controlPlaneState(services: FakeService[]): ControlPlaneState {
  const service = services.find((s): s is FakeService & { state: ControlPlaneState } => 'state' in s && s.state instanceof ControlPlaneState);
  if (!service) throw new Error('no control plane among the services');
  return service.state;
}

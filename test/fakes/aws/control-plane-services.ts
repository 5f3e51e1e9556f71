// The control-plane fakes as one group sharing one state and one clock:
// Redshift (clusters), IAM (roles), STS (caller identity), Redshift Serverless.
import { ControlPlaneState, type ControlPlaneOptions, type ControlPlaneService } from './control-plane.js';
import { createIamService, createStsService } from './control-plane-iam.js';
import { createRedshiftService } from './control-plane-redshift.js';
import { createServerlessService } from './control-plane-serverless.js';

export function createControlPlaneServices(options: ControlPlaneOptions = {}, state = new ControlPlaneState(options)): ControlPlaneService[] {
  return [createRedshiftService(state), createIamService(state), createStsService(state), createServerlessService(state)];
}

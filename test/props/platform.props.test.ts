/** The other half of the property tests (see workloads.props.test.ts for why two files). */
import './ingress-gateway.property';
import './tenant-namespace.property';
import './stateful-store.property';
import './node-agent.property';
import './define-platform.property';
import './monitoring-stack.property';
import './factories.property';
import './platform-stack.property';

package fleet.console.sandbox;

/**
 * How to start a sandbox.
 *
 * @param empty       no fleet deployed (no namespace either): the initial-deployment runbook's start
 * @param apiPort     port of the API server on 127.0.0.1; 0 picks a free one
 * @param nodeCpu     CPU cores of each simulated node
 * @param nodeMemoryGi memory of each simulated node, GiB
 * @param nodeGpus    {@code nvidia.com/gpu} of each node; 0 as on a laptop
 * @param nodes       how many simulated nodes
 * @param startNats   start a real nats-server child process when the binary is on the PATH
 * @param startRegistry start a real docker-registry child process when the binary is on the PATH
 * @param eventTrickle  publish a trickle of the fleet's events on NATS so consumer counts move
 */
public record SandboxOptions(boolean empty, int apiPort, int nodeCpu, int nodeMemoryGi,
                             int nodeGpus, int nodes, boolean startNats, boolean startRegistry, boolean eventTrickle) {

    public SandboxOptions {
        if (nodes < 1) {
            throw new IllegalArgumentException("A sandbox needs at least one node");
        }
    }

    /** Large enough for the whole fleet, no GPUs, real NATS and registry when installed. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(false, 0, 16, 64, 0, 1, true, true, true);
    }

    public SandboxOptions withEmpty(boolean value) {
        return new SandboxOptions(value, apiPort, nodeCpu, nodeMemoryGi, nodeGpus, nodes, startNats, startRegistry, eventTrickle);
    }

    public SandboxOptions withApiPort(int value) {
        return new SandboxOptions(empty, value, nodeCpu, nodeMemoryGi, nodeGpus, nodes, startNats, startRegistry, eventTrickle);
    }

    public SandboxOptions withNodeGpus(int value) {
        return new SandboxOptions(empty, apiPort, nodeCpu, nodeMemoryGi, value, nodes, startNats, startRegistry, eventTrickle);
    }

    public SandboxOptions withNats(boolean value) {
        return new SandboxOptions(empty, apiPort, nodeCpu, nodeMemoryGi, nodeGpus, nodes, value, startRegistry, eventTrickle);
    }

    public SandboxOptions withEventTrickle(boolean value) {
        return new SandboxOptions(empty, apiPort, nodeCpu, nodeMemoryGi, nodeGpus, nodes, startNats, startRegistry, value);
    }

    public SandboxOptions withRegistry(boolean value) {
        return new SandboxOptions(empty, apiPort, nodeCpu, nodeMemoryGi, nodeGpus, nodes, startNats, value, eventTrickle);
    }
}

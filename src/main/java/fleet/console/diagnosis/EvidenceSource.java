package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a piece of evidence was read, so the UI can open it (the pod's previous log scrolled to the line,
 * the event in the events list, the field in the YAML) and an operator can read it again with the
 * command {@link #command()} gives.
 */
public sealed interface EvidenceSource {

    /** A command that shows the same thing in a terminal. */
    String command();

    /** A line of a container's log; {@code previous} for the run before the last restart. */
    record PodLog(String namespace, String pod, String container, boolean previous, String line) implements EvidenceSource {
        @Override
        public String command() {
            return KubectlCommands.in(namespace).logs(pod, Optional.of(container), previous, false, OptionalInt.of(100), false);
        }
    }

    /** A Kubernetes Event about an object (by the event's uid, as the events list keys its rows). */
    record KubeEvent(String namespace, String uid, String objectKind, String objectName, String reason) implements EvidenceSource {
        @Override
        public String command() {
            return "kubectl get events -n " + KubectlCommands.quote(namespace) + " --field-selector "
                    + KubectlCommands.quote("involvedObject.name=" + objectName + ",reason=" + reason);
        }
    }

    /**
     * A field of an object as stored in the API ({@code status.containerStatuses[orchestrator].lastState}):
     * the path is written for people, the command gives the exact jsonpath.
     */
    record ObjectField(String kind, String namespace, String name, String field, String jsonPath) implements EvidenceSource {
        @Override
        public String command() {
            String ns = namespace == null || namespace.isEmpty() ? "" : " -n " + KubectlCommands.quote(namespace);
            return "kubectl get " + kind.toLowerCase(java.util.Locale.ROOT) + " " + KubectlCommands.quote(name) + ns
                    + " -o jsonpath=" + KubectlCommands.quote("{" + jsonPath + "}");
        }
    }

    /** A JetStream consumer on the server. */
    record NatsConsumer(String stream, String durable) implements EvidenceSource {
        @Override
        public String command() {
            return "nats consumer info " + KubectlCommands.quote(stream) + " " + KubectlCommands.quote(durable);
        }
    }

    /** The server's streams (a declared one missing among them). */
    record NatsStreams(String stream) implements EvidenceSource {
        @Override
        public String command() {
            return "nats stream ls";
        }
    }

    /** A test message the console published, and where it landed. */
    record NatsPublish(String subject, String stream, long sequence) implements EvidenceSource {
        @Override
        public String command() {
            return stream.isEmpty() ? "nats sub " + KubectlCommands.quote(subject)
                    : "nats stream get " + KubectlCommands.quote(stream) + " " + sequence;
        }
    }

    /** The registry's answer for a repository (HTTP API v2). */
    record Registry(String url) implements EvidenceSource {
        @Override
        public String command() {
            return "curl -k " + KubectlCommands.quote(url);
        }
    }

    /** A field of the fleet profile (what the console would deploy). */
    record Profile(String service, String field) implements EvidenceSource {
        @Override
        public String command() {
            return "fleet profile: services[" + service + "]." + field;
        }
    }
}

package fleet.console.messaging;

import fleet.console.profile.StreamSpec;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/** A stream the profile declares, as the configuration the server is given to create it. */
public final class DeclaredStreams {

    private DeclaredStreams() {
    }

    public static StreamConfiguration configOf(StreamSpec s) {
        StreamConfiguration.Builder b = StreamConfiguration.builder()
                .name(s.name())
                .subjects(s.subjects())
                .retentionPolicy(switch (s.retention()) {
                    case LIMITS -> RetentionPolicy.Limits;
                    case INTEREST -> RetentionPolicy.Interest;
                    case WORKQUEUE -> RetentionPolicy.WorkQueue;
                })
                .storageType(s.storage() == StreamSpec.Storage.FILE ? StorageType.File : StorageType.Memory)
                .replicas(s.replicas())
                .maxMessages(s.maxMsgs())
                .maxBytes(s.maxBytes())
                .discardPolicy(s.discard() == StreamSpec.Discard.OLD ? DiscardPolicy.Old : DiscardPolicy.New);
        if (!s.maxAge().isZero()) {
            b.maxAge(s.maxAge());
        }
        return b.build();
    }
}
